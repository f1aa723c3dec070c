import { clipScore, dot, type ImageInput } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { percentileCut, similarityPercentile } from '../calibration/percentile.js';
import { GuidanceError } from '../errors.js';

export interface RerankOptions {
  negativePrompt?: string | undefined;
  /** How much similarity to the negative prompt costs (default 1: one unit of cosine for one). */
  negativeWeight?: number;
  /**
   * Maximal marginal relevance λ in [0, 1]: 1 ranks by relevance alone; lower values trade relevance for
   * difference from what is already ranked, so near-duplicates do not fill the top. Default 1.
   */
  diversity?: number;
  /** Leaves out candidates whose similarity percentile is no better than this (needs a calibrated model). */
  minPercentile?: number | undefined;
}

export interface CandidateScores {
  /** Raw cosine between image and prompt: comparable across requests. */
  similarity: number;
  /** Share (0–100) of the model's mismatched image–text pairs scoring below `similarity`; null uncalibrated. */
  percentile: number | null;
  /** 2.5 · max(cos, 0) (Hessel et al.). */
  clipScore: number;
  /** Cosine to the negative prompt, when one was given. */
  negativeSimilarity: number | null;
  /** What the negative prompt took off: negativeWeight · max(negativeSimilarity, 0). */
  negativePenalty: number;
  /** similarity − negativePenalty: what relevance ranks by. */
  relevance: number;
  /** Highest cosine to a candidate ranked above this one (0 for the first). */
  redundancy: number;
  /** The MMR objective at the moment this candidate was picked: λ·relevance − (1−λ)·redundancy. */
  rankScore: number;
}

export interface Ranked<T> {
  item: T;
  rank: number;
  scores: CandidateScores;
  embedding: Float32Array;
}

/**
 * Orders candidate images for a prompt, best first. Relevance is the cosine to the prompt minus a penalty
 * for resembling the negative prompt; with diversity λ < 1, greedy maximal marginal relevance
 * (Carbonell & Goldstein 1998) picks each next candidate by λ·relevance − (1−λ)·max cosine to those already picked.
 * Candidates cut by minPercentile are left out before ranking, so they never weigh on the others.
 */
export async function rerank<T>(
  clip: ClipPort,
  prompt: string,
  candidates: readonly T[],
  imageOf: (item: T) => ImageInput,
  options: RerankOptions = {},
): Promise<Ranked<T>[]> {
  if (candidates.length === 0) return [];
  const lambda = options.diversity ?? 1;
  if (!(lambda >= 0 && lambda <= 1))
    throw new GuidanceError('BAD_OPTION', 'diversity must be between 0 and 1');
  const negativeWeight = options.negativeWeight ?? 1;
  const keep = percentileCut(clip, options.minPercentile);
  const texts = options.negativePrompt ? [prompt, options.negativePrompt] : [prompt];
  const [[promptEmbedding, negativeEmbedding], images] = await Promise.all([
    clip.embedTexts(texts),
    clip.embedImages(candidates.map(imageOf)),
  ]);
  const base = images.map((embedding) => {
    const similarity = dot(embedding, promptEmbedding!);
    const negativeSimilarity = negativeEmbedding ? dot(embedding, negativeEmbedding) : null;
    const negativePenalty = negativeWeight * Math.max(negativeSimilarity ?? 0, 0);
    return {
      similarity,
      percentile: similarityPercentile(clip, similarity),
      negativeSimilarity,
      negativePenalty,
      relevance: similarity - negativePenalty,
    };
  });
  const remaining = new Set(candidates.flatMap((_, i) => (keep(base[i]!.similarity) ? [i] : [])));
  const ranked: Ranked<T>[] = [];
  while (remaining.size > 0) {
    let best = -1;
    let bestScore = -Infinity;
    let bestRedundancy = 0;
    for (const i of remaining) {
      const redundancy =
        ranked.length === 0 ? 0 : Math.max(...ranked.map((r) => dot(images[i]!, r.embedding)));
      const score = lambda * base[i]!.relevance - (1 - lambda) * redundancy;
      if (score > bestScore) [best, bestScore, bestRedundancy] = [i, score, redundancy];
    }
    remaining.delete(best);
    const b = base[best]!;
    ranked.push({
      item: candidates[best]!,
      rank: ranked.length + 1,
      embedding: images[best]!,
      scores: {
        ...b,
        clipScore: clipScore(images[best]!, promptEmbedding!),
        redundancy: bestRedundancy,
        rankScore: bestScore,
      },
    });
  }
  return ranked;
}
