import { type ClipEngine, measureCalibration, percentileOf, shareBelow } from '#clip';
import { procedural } from '#generators';

export interface HeldOutOptions {
  /** Must differ from the seed the model's calibration was made with. */
  seed: number;
  scenes: number;
  /** `train`: the same world as the calibration; `heldout`: combinations the bundled model never saw. */
  split: 'train' | 'heldout';
}

export interface HeldOutResult extends HeldOutOptions {
  calibrationSeed: number | null;
  matchingPairs: number;
  mismatchedPairs: number;
  /** Share (%) of matching pairs whose percentile is ≥ 95. */
  matchingAtLeast95: number;
  /** Percentile of the median matching pair. */
  matchingMedianPercentile: number;
  /** Median percentile of the mismatched pairs: 50 when the calibration is not overfitted. */
  mismatchedMedianPercentile: number;
  /** Share (%) of mismatched pairs whose percentile is ≥ 95: 5 when it holds. */
  mismatchedAtLeast95: number;
}

/**
 * Measures fresh scenes of another seed exactly as a calibration is made, then reads their distributions
 * through the model's own calibration. A percentile is monotone in the cosine, so the median percentile
 * is the percentile of the median cosine, and "percentile ≥ 95" is "cosine ≥ the 95 % mismatched cosine".
 */
export async function evaluateHeldOut(engine: ClipEngine, options: HeldOutOptions): Promise<HeldOutResult> {
  const calibration = engine.info.calibration;
  if (!calibration) throw new Error(`${engine.info.dir} has no calibration.json`);
  const calibrationSeed = calibration.source.kind === 'procedural' ? calibration.source.seed : null;
  if (calibrationSeed === options.seed)
    throw new Error(`seed ${options.seed} is the calibration's own: pick another`);
  const fresh = await measureCalibration(
    engine,
    procedural.captionedScenes(options.seed, options.scenes, options.split),
    {
      model: calibration.model,
      source: { kind: 'procedural', seed: options.seed, scenes: options.scenes },
    },
  );
  const q = calibration.mismatched;
  const cosineAt95 = q[Math.round(0.95 * (q.length - 1))]!;
  const median = (values: readonly number[]): number => values[Math.round((values.length - 1) / 2)]!;
  return {
    ...options,
    calibrationSeed,
    matchingPairs: fresh.counts.matching,
    mismatchedPairs: fresh.counts.mismatched,
    matchingAtLeast95: 100 - shareBelow(fresh.matching, cosineAt95),
    matchingMedianPercentile: percentileOf(calibration, median(fresh.matching))!,
    mismatchedMedianPercentile: percentileOf(calibration, median(fresh.mismatched))!,
    mismatchedAtLeast95: 100 - shareBelow(fresh.mismatched, cosineAt95),
  };
}
