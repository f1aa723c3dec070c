/**
 * What a similarity means for one model: the distribution of image–text cosines of matching pairs and
 * of mismatched pairs (and of image–image cosines between different pictures), kept as sorted quantiles
 * in calibration.json beside the model. A similarity's percentile is the share of mismatched pairs that
 * score below it: 50 is chance, 99 is better than all but 1 % of random pairings.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelLoadError } from '../errors.js';

export const CALIBRATION_FILE = 'calibration.json';
export const CALIBRATION_FORMAT = 'clipsmith-calibration/1';

/** How many quantile steps each distribution keeps: 0.1 % resolution for mismatched pairs, 1 % for matching. */
export const MISMATCHED_STEPS = 1000;
export const MATCHING_STEPS = 100;

/** Where the pairs came from: the procedural scenes (seed, count) or a folder of images and captions. */
export type CalibrationSource =
  { kind: 'procedural'; seed: number; scenes: number } | { kind: 'folder'; folder: string };

export interface Calibration {
  format: typeof CALIBRATION_FORMAT;
  model: { id: string; dtype: string };
  source: CalibrationSource;
  counts: { matching: number; mismatched: number; mismatchedImages: number };
  /** Cosines at cumulative shares 0, 1/MATCHING_STEPS, …, 1 of the matching pairs, ascending. */
  matching: number[];
  /** Cosines at cumulative shares 0, 1/MISMATCHED_STEPS, …, 1 of the mismatched pairs, ascending. */
  mismatched: number[];
  /** The same for cosines between images of different pairs (image-to-image search). */
  mismatchedImages: number[];
}

/** What a cosine is between: an image and a text, or two images. */
export type SimilarityKind = 'image-text' | 'image-image';

/** The quantiles of `values` at `steps + 1` evenly spaced shares, linearly interpolated (sorts in place). */
export function quantiles(values: Float64Array, steps: number): number[] {
  if (values.length === 0) throw new RangeError('quantiles of an empty list');
  values.sort();
  return Array.from({ length: steps + 1 }, (_, k) => {
    const at = (k / steps) * (values.length - 1);
    const lo = Math.floor(at);
    const hi = Math.min(lo + 1, values.length - 1);
    return round(values[lo]! + (at - lo) * (values[hi]! - values[lo]!));
  });
}

/**
 * The share (0–100) of the calibration's mismatched pairs of that kind scoring below `similarity`; null
 * without a calibration.
 */
export function percentileOf(
  calibration: Calibration | null | undefined,
  similarity: number,
  kind: SimilarityKind = 'image-text',
): number | null {
  if (!calibration) return null;
  return shareBelow(
    kind === 'image-text' ? calibration.mismatched : calibration.mismatchedImages,
    similarity,
  );
}

/**
 * The share (0–100) of a distribution below `value`, from its ascending quantiles, interpolated between
 * them. A value tied with several quantiles gets the middle of their run.
 */
export function shareBelow(q: readonly number[], value: number): number {
  const steps = q.length - 1;
  let below = 0;
  while (below <= steps && q[below]! < value) below++;
  let upTo = below;
  while (upTo <= steps && q[upTo]! === value) upTo++;
  let position: number;
  if (upTo > below) position = (below + upTo - 1) / 2;
  else if (below === 0) position = 0;
  else if (below > steps) position = steps;
  else position = below - 1 + (value - q[below - 1]!) / (q[below]! - q[below - 1]!);
  return round((100 * position) / steps, 2);
}

/** Reads DIR/calibration.json; null when the folder has none, MODEL_INVALID when it is malformed. */
export async function readCalibration(dir: string): Promise<Calibration | null> {
  const path = join(dir, CALIBRATION_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ModelLoadError('MODEL_INVALID', `cannot read ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseCalibration(text, path);
}

export async function writeCalibration(path: string, calibration: Calibration): Promise<void> {
  await writeFile(path, JSON.stringify(calibration) + '\n');
}

export function parseCalibration(text: string, path: string): Calibration {
  const fail = (why: string): never => {
    throw new ModelLoadError(
      'MODEL_INVALID',
      `${path} is not a calibration: ${why} (remake it: npm run cli -- calibrate --model DIR)`,
    );
  };
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (cause) {
    return fail((cause as Error).message);
  }
  if (typeof json !== 'object' || json === null) return fail('not a JSON object');
  if (json['format'] !== CALIBRATION_FORMAT) fail(`"format" must be "${CALIBRATION_FORMAT}"`);
  const ascending = (key: 'matching' | 'mismatched' | 'mismatchedImages'): number[] => {
    const value = json[key];
    if (
      !Array.isArray(value) ||
      value.length < 2 ||
      !value.every((v, i) => typeof v === 'number' && Number.isFinite(v) && (i === 0 || v >= value[i - 1]))
    )
      fail(`"${key}" must be at least two ascending numbers`);
    return value as number[];
  };
  ascending('matching');
  ascending('mismatched');
  ascending('mismatchedImages');
  const counts = json['counts'] as Calibration['counts'] | undefined;
  if (!(counts && [counts.matching, counts.mismatched, counts.mismatchedImages].every(Number.isInteger)))
    fail('"counts" must hold whole "matching", "mismatched" and "mismatchedImages"');
  return json as unknown as Calibration;
}

function round(value: number, digits = 6): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
