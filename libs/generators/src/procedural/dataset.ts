import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { GeneratorError } from '../errors.js';
import { makeSample, type Sample, type SampleOptions, type Split } from './dataset-sample.js';
import { COLOUR_RGB, COLOURS, HELD_OUT, RELATIONS, SHAPES, STYLES } from './vocabulary.js';

export interface DatasetOptions {
  /** Folder to write; created if missing, the dataset files and samples/ of an earlier run replaced. */
  out: string;
  count: number;
  /** Side of the square images the model is fed, e.g. 64. */
  imageSize: number;
  seed: number;
  split?: Split;
  /** Share of scenes with two related objects; default 0.4. */
  twoObjectFraction?: number;
  /** Share of samples JPEG-compressed at quality 40–95; default 0.25. */
  jpegFraction?: number;
  /** Share of samples given a slight colour shift; default 0.25. */
  colourShiftFraction?: number;
  /** Samples rendered concurrently; default 4. */
  inFlight?: number;
  onProgress?: (done: number) => void;
}

export interface DatasetSummary {
  count: number;
  seconds: number;
  imagesPerSecond: number;
}

/** How many of the first images are also written as PNG for a person to look at. */
export const SAMPLE_PNGS = 16;

const IMAGE_SIZE_LIMITS = { min: 16, max: 1024 } as const;

/**
 * Writes a captioned dataset to `out`, streaming: only `inFlight` images are ever held in memory.
 *
 * - images.u8: uint8 RGB, shape [count, imageSize, imageSize, 3], row-major, images back to back;
 * - captions.jsonl: per image, in order, {index, captions, canonical, scene, render};
 * - meta.json: the options, the held-out pairs and the vocabulary; written last, so its absence marks an
 *   unfinished dataset;
 * - samples/: the first SAMPLE_PNGS images as PNG.
 */
export async function writeDataset(options: DatasetOptions): Promise<DatasetSummary> {
  const sampleOptions = validate(options);
  const { out, count } = options;
  const inFlight = options.inFlight ?? 4;
  const started = performance.now();
  // A stale meta.json would mark an interrupted rewrite as finished; stale samples would mislabel it.
  await rm(join(out, 'meta.json'), { force: true });
  await rm(join(out, 'samples'), { recursive: true, force: true });
  await mkdir(join(out, 'samples'), { recursive: true });
  const images = createWriteStream(join(out, 'images.u8'));
  const captions = createWriteStream(join(out, 'captions.jsonl'));

  const pending: Promise<Sample>[] = [];
  let next = 0;
  const startNext = (): void => {
    if (next >= count) return;
    const sample = makeSample(next++, sampleOptions);
    // Rejections surface when this sample's turn comes; until then they must not count as unhandled.
    sample.catch(() => undefined);
    pending.push(sample);
  };
  for (let k = 0; k < inFlight; k++) startNext();
  try {
    for (let i = 0; i < count; i++) {
      const { pixels, record } = await pending.shift()!;
      startNext();
      await write(images, pixels);
      await write(captions, JSON.stringify(record) + '\n');
      if (i < SAMPLE_PNGS) {
        const name = `${String(i).padStart(5, '0')}-${record.canonical.replace(/[^a-z]+/g, '-')}.png`;
        const raw = { width: options.imageSize, height: options.imageSize, channels: 3 } as const;
        await sharp(pixels, { raw })
          .png()
          .toFile(join(out, 'samples', name));
      }
      options.onProgress?.(i + 1);
    }
  } finally {
    images.end();
    captions.end();
    await Promise.all([finished(images), finished(captions)]);
  }
  await writeFile(join(out, 'meta.json'), JSON.stringify(metadata(options, sampleOptions), null, 2) + '\n');
  const seconds = (performance.now() - started) / 1000;
  return { count, seconds, imagesPerSecond: count / seconds };
}

function validate(options: DatasetOptions): SampleOptions {
  const { count, imageSize, seed, inFlight } = options;
  if (!Number.isInteger(count) || count < 1)
    throw new GeneratorError('BAD_REQUEST', `count must be a positive integer, got ${count}`);
  if (!Number.isInteger(seed))
    throw new GeneratorError('BAD_REQUEST', `seed must be an integer, got ${seed}`);
  if (inFlight !== undefined && !(Number.isInteger(inFlight) && inFlight >= 1))
    throw new GeneratorError('BAD_REQUEST', `inFlight must be a positive integer, got ${inFlight}`);
  if (!Number.isInteger(imageSize) || imageSize < IMAGE_SIZE_LIMITS.min || imageSize > IMAGE_SIZE_LIMITS.max)
    throw new GeneratorError(
      'BAD_REQUEST',
      `imageSize must be an integer from ${IMAGE_SIZE_LIMITS.min} to ${IMAGE_SIZE_LIMITS.max}, got ${imageSize}`,
    );
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'heldout')
    throw new GeneratorError('BAD_REQUEST', `split must be train or heldout, got ${split}`);
  const fraction = (name: string, value: number): number => {
    if (!(value >= 0 && value <= 1))
      throw new GeneratorError('BAD_REQUEST', `${name} must be in [0, 1], got ${value}`);
    return value;
  };
  return {
    seed,
    imageSize,
    split,
    twoObjectFraction: fraction('twoObjectFraction', options.twoObjectFraction ?? 0.4),
    jpegFraction: fraction('jpegFraction', options.jpegFraction ?? 0.25),
    colourShiftFraction: fraction('colourShiftFraction', options.colourShiftFraction ?? 0.25),
  };
}

function metadata(options: DatasetOptions, sample: SampleOptions): object {
  return {
    count: options.count,
    ...sample,
    images: {
      file: 'images.u8',
      dtype: 'uint8',
      shape: [options.count, sample.imageSize, sample.imageSize, 3],
      layout: 'NHWC, RGB, row-major, no header',
      preprocessing: 'shortest edge to imageSize with antialiased bicubic, then centre crop (as ClipEngine)',
    },
    heldOut: HELD_OUT,
    vocabulary: {
      colours: COLOURS,
      colourRgb: COLOUR_RGB,
      shapes: SHAPES,
      styles: STYLES,
      relations: RELATIONS,
    },
  };
}

async function write(stream: WriteStream, chunk: Uint8Array | string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}
