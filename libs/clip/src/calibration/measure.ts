import { ClipError } from '../errors.js';
import type { ImageInput } from '../image-probe.js';
import { dot } from '../scores.js';
import {
  type Calibration,
  CALIBRATION_FORMAT,
  type CalibrationSource,
  MATCHING_STEPS,
  MISMATCHED_STEPS,
  quantiles,
} from './calibration.js';

/** One matching image–caption pair; pairs sharing a group (the same image or scene) never count as mismatched. */
export interface CalibrationPair {
  image: ImageInput;
  caption: string;
  group: string;
}

/** What measuring needs of a model: its two towers. */
export interface CalibrationModel {
  embedImages(images: readonly ImageInput[]): Promise<Float32Array[]>;
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface MeasureOptions {
  model: { id: string; dtype: string };
  source: CalibrationSource;
  /** Most captions of other pairs each image is compared with (default 2,000), spread evenly over them. */
  mismatchedPerImage?: number;
  /** Images embedded at a time, so a large folder is never held in memory whole (default 256). */
  chunkSize?: number;
}

/** Fewest pairs a calibration is made from: fewer give quantiles that mean little. */
export const MIN_CALIBRATION_PAIRS = 20;

/**
 * Embeds every pair, then scores each image against its own caption (matching), against the captions of
 * other groups (mismatched) and against their images (mismatched images), and keeps the quantiles.
 */
export async function measureCalibration(
  model: CalibrationModel,
  pairs: AsyncIterable<CalibrationPair> | Iterable<CalibrationPair>,
  options: MeasureOptions,
): Promise<Calibration> {
  const chunkSize = options.chunkSize ?? 256;
  const images: Float32Array[] = [];
  const captions: string[] = [];
  const groups: string[] = [];
  let chunk: CalibrationPair[] = [];
  const flush = async (): Promise<void> => {
    images.push(...(await model.embedImages(chunk.map((p) => p.image))));
    chunk = [];
  };
  for await (const pair of pairs) {
    chunk.push(pair);
    captions.push(pair.caption);
    groups.push(pair.group);
    if (chunk.length === chunkSize) await flush();
  }
  if (chunk.length > 0) await flush();
  const n = images.length;
  if (n < MIN_CALIBRATION_PAIRS)
    throw new ClipError(
      'BAD_INPUT',
      `a calibration needs at least ${MIN_CALIBRATION_PAIRS} image–caption pairs, got ${n}`,
    );
  const unique = [...new Set(captions)];
  const embedded = await model.embedTexts(unique);
  const byCaption = new Map(unique.map((c, i) => [c, embedded[i]!]));
  const texts = captions.map((c) => byCaption.get(c)!);

  const matching = new Float64Array(n);
  const perImage = Math.min(n - 1, options.mismatchedPerImage ?? 2000);
  const mismatched = new Float64Array(n * perImage);
  const mismatchedImages = new Float64Array(n * perImage);
  let m = 0;
  let mi = 0;
  for (let i = 0; i < n; i++) {
    matching[i] = dot(images[i]!, texts[i]!);
    for (let k = 0; k < perImage; k++) {
      const j = (i + 1 + Math.floor((k * (n - 1)) / perImage)) % n;
      if (groups[j] === groups[i]) continue;
      mismatchedImages[mi++] = dot(images[i]!, images[j]!);
      if (captions[j] !== captions[i]) mismatched[m++] = dot(images[i]!, texts[j]!);
    }
  }
  if (m === 0) throw new ClipError('BAD_INPUT', 'every pair shares its group: there are no mismatched pairs');
  return {
    format: CALIBRATION_FORMAT,
    model: options.model,
    source: options.source,
    counts: { matching: n, mismatched: m, mismatchedImages: mi },
    matching: quantiles(matching, MATCHING_STEPS),
    mismatched: quantiles(mismatched.subarray(0, m), MISMATCHED_STEPS),
    mismatchedImages: quantiles(mismatchedImages.subarray(0, mi), MISMATCHED_STEPS),
  };
}
