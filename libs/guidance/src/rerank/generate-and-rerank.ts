import {
  type Candidate,
  fanOut,
  type FanOutOptions,
  type GenerationFailure,
  type GeneratorOutcome,
  type ImageGenerator,
} from '#generators';
import { checkMinPercentile } from '../calibration/percentile.js';
import type { ClipPort } from '../clip-port.js';
import { type Ranked, rerank } from './rerank.js';

export interface GenerateAndRerankRequest {
  prompt: string;
  negativePrompt?: string | undefined;
  /** Candidates to ask each generator for. */
  count: number;
  width?: number | undefined;
  height?: number | undefined;
  seed?: number | undefined;
  /** MMR λ (1 = relevance only). */
  diversity?: number | undefined;
  /** Drops candidates whose similarity percentile is no better than this (needs a calibrated model). */
  minPercentile?: number | undefined;
}

export interface GenerateAndRerankResult {
  ranked: Ranked<Candidate>[];
  /** Candidates that came back but scored no better than minPercentile: "no good match" is an answer. */
  droppedBelowPercentile: number;
  errors: GenerationFailure[];
  outcomes: GeneratorOutcome[];
}

/** Asks the generators for candidates, then ranks every one that came back against the prompt. */
export async function generateAndRerank(
  clip: ClipPort,
  generators: readonly ImageGenerator[],
  request: GenerateAndRerankRequest,
  fanOutOptions: FanOutOptions,
): Promise<GenerateAndRerankResult> {
  // A bad cut fails before any generator is asked.
  checkMinPercentile(clip, request.minPercentile);
  const { candidates, errors, outcomes } = await fanOut(
    generators,
    {
      prompt: request.prompt,
      count: request.count,
      ...(request.negativePrompt ? { negativePrompt: request.negativePrompt } : {}),
      ...(request.width ? { width: request.width } : {}),
      ...(request.height ? { height: request.height } : {}),
      ...(request.seed !== undefined ? { seed: request.seed } : {}),
    },
    fanOutOptions,
  );
  const ranked = await rerank(clip, request.prompt, candidates, (c) => c.image, {
    negativePrompt: request.negativePrompt,
    diversity: request.diversity ?? 1,
    minPercentile: request.minPercentile,
  });
  return { ranked, droppedBelowPercentile: candidates.length - ranked.length, errors, outcomes };
}
