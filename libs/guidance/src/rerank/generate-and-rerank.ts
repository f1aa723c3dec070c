import {
  type Candidate,
  fanOut,
  type FanOutOptions,
  type GenerationFailure,
  type GeneratorOutcome,
  type ImageGenerator,
} from '#generators';
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
}

export interface GenerateAndRerankResult {
  ranked: Ranked<Candidate>[];
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
  const ranked = await rerank(clip, request.prompt, candidates, (c) => c.bytes, {
    negativePrompt: request.negativePrompt,
    diversity: request.diversity ?? 1,
  });
  return { ranked, errors, outcomes };
}
