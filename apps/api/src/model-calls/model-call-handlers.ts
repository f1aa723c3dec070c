import type { CaptionService } from '../captions/caption.service.js';
import type { ScoreCaptionsInput } from '../captions/caption.types.js';
import type { ClassificationService, ClassifyRequest } from '../classification/classification.service.js';
import { ApiError } from '../errors/api-error.js';
import type { ImageInput } from '../images/image-input.type.js';
import type { ModerationService } from '../moderation/moderation.service.js';
import type { ModerationPolicyInput } from '../moderation/moderation.types.js';
import type { AssetQuery, RetrievalService } from '../retrieval/retrieval.service.js';

export interface ModelCallServices {
  classification: ClassificationService;
  captions: CaptionService;
  moderation: ModerationService;
  retrieval: RetrievalService;
}

/**
 * The quick model calls, each one service call with the resolver's arguments as one input: what a node
 * with the model runs for a request, its own or one an `api` node queued.
 */
export function modelCallHandlers({ classification, captions, moderation, retrieval }: ModelCallServices) {
  return {
    classify: (input: ClassifyRequest, signal: AbortSignal) => classification.classify(input, signal),
    scoreCaptions: (input: ScoreCaptionsInput, signal: AbortSignal) => captions.score(input, signal),
    rankCaptions: (input: { image: ImageInput; captions: string[] }, signal: AbortSignal) =>
      captions.rank(input.image, input.captions, signal),
    moderate: (input: { image: ImageInput; policy: ModerationPolicyInput }, signal: AbortSignal) =>
      moderation.moderate(input.image, input.policy, signal),
    searchAssets: (input: { query: AssetQuery; k: number } & Cut, signal: AbortSignal) =>
      retrieval.searchAssets(input.query, input.k, signal, input.minPercentile),
    captionByRetrieval: (input: { image: ImageInput; k: number } & Cut, signal: AbortSignal) =>
      retrieval.captionByRetrieval(input.image, input.k, signal, input.minPercentile),
  } satisfies Record<string, (input: never, signal: AbortSignal) => Promise<unknown>>;
}

interface Cut {
  minPercentile?: number | null;
}

export type ModelCallHandlers = ReturnType<typeof modelCallHandlers>;
export type ModelCallKind = keyof ModelCallHandlers;
export type ModelCallInput<K extends ModelCallKind> = Parameters<ModelCallHandlers[K]>[0];
export type ModelCallOutput<K extends ModelCallKind> = Awaited<ReturnType<ModelCallHandlers[K]>>;

export const MODEL_CALL_HANDLERS = Symbol('MODEL_CALL_HANDLERS');

/** Runs one call with its handler; a kind this build does not know (a node of another version) is refused. */
export function runModelCall<K extends ModelCallKind>(
  handlers: ModelCallHandlers,
  kind: K,
  input: ModelCallInput<K>,
  signal: AbortSignal,
): Promise<ModelCallOutput<K>> {
  if (!Object.hasOwn(handlers, kind))
    return Promise.reject(new ApiError('BAD_REQUEST', `no model call named ${String(kind)} on this node`));
  const handler = handlers[kind] as (
    input: ModelCallInput<K>,
    signal: AbortSignal,
  ) => Promise<ModelCallOutput<K>>;
  return handler(input, signal);
}
