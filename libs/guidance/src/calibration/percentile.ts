import { type Calibration, percentileOf, type SimilarityKind } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { GuidanceError } from '../errors.js';

/** The similarity's percentile among the model's mismatched pairs (0–100); null when it has no calibration. */
export function similarityPercentile(
  clip: ClipPort,
  similarity: number,
  kind: SimilarityKind = 'image-text',
): number | null {
  return percentileOf(clip.info.calibration, similarity, kind);
}

/**
 * The calibration a least percentile is read against; undefined without a cut. A cut out of range, or
 * on a model without a calibration, is an error rather than a silent no-op.
 */
export function checkMinPercentile(
  clip: ClipPort,
  minPercentile: number | null | undefined,
): Calibration | undefined {
  if (minPercentile === null || minPercentile === undefined) return undefined;
  if (!(minPercentile >= 0 && minPercentile <= 100))
    throw new GuidanceError('BAD_OPTION', `minPercentile must be between 0 and 100, got ${minPercentile}`);
  const calibration = clip.info.calibration;
  if (!calibration)
    throw new GuidanceError(
      'BAD_OPTION',
      'minPercentile needs a calibrated model, and this one has no calibration.json (make one: npm run cli -- calibrate --model DIR)',
    );
  return calibration;
}

/** Keeps what scores strictly above the least percentile ("no better than" it is dropped); all without one. */
export function percentileCut(
  clip: ClipPort,
  minPercentile: number | null | undefined,
  kind: SimilarityKind = 'image-text',
): (similarity: number) => boolean {
  const calibration = checkMinPercentile(clip, minPercentile);
  if (!calibration) return () => true;
  return (similarity) => percentileOf(calibration, similarity, kind)! > minPercentile!;
}

export interface PercentileCut<T> {
  /** The items that passed, in their order, each with its percentile. */
  kept: (T & { percentile: number | null })[];
  /** How many scored no better than the least percentile. */
  droppedBelowPercentile: number;
}

/** Gives scored items (search hits, retrieved captions) their percentile and drops those under the cut. */
export function cutByPercentile<T extends { score: number }>(
  clip: ClipPort,
  items: readonly T[],
  kind: SimilarityKind,
  minPercentile: number | null | undefined,
): PercentileCut<T> {
  const keep = percentileCut(clip, minPercentile, kind);
  const kept = items
    .filter((item) => keep(item.score))
    .map((item) => ({ ...item, percentile: similarityPercentile(clip, item.score, kind) }));
  return { kept, droppedBelowPercentile: items.length - kept.length };
}
