import type { Matrix3x3, Sharp } from 'sharp';
import type { RgbImage } from '#clip';
import { deriveSeed, Random } from './random.js';
import type { Frame } from './shapes.js';
import type { Style } from './vocabulary.js';

/*
 * Image-level styles filter the whole rasterised picture. Their strength is relative to the shorter edge,
 * so a style looks alike at 64 px and at 2048 px, and survives the downscale to the model's input size.
 */

const GREYSCALE: Matrix3x3 = [
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
];

const SEPIA: Matrix3x3 = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
];

/** Blur sigma as a fraction of the shorter edge: about 1.4 px at 64 px. */
const BLUR = 0.022;
/** Noise grain as a fraction of the shorter edge, and its amplitude in 8-bit levels. */
const GRAIN = 1 / 128;
const NOISE_AMPLITUDE = 60;
/** Pixelation blocks per shorter edge. */
const BLOCKS = 32;

/** The styles sharp applies while rasterising. */
export function withSharpStyle(pipeline: Sharp, style: Style, frame: Frame): Sharp {
  switch (style) {
    case 'blurred':
      return pipeline.blur(Math.max(0.5, BLUR * frame.side));
    case 'grayscale':
      return pipeline.recomb(GREYSCALE);
    case 'sepia':
      return pipeline.recomb(SEPIA);
    default:
      return pipeline;
  }
}

/** The styles sharp cannot do as needed (seeded noise, nearest-neighbour blocks), in place on raw RGB. */
export function applyPixelStyle(image: RgbImage, style: Style, frame: Frame, seed: number): void {
  if (style === 'noisy') addNoise(image, Math.max(1, Math.round(GRAIN * frame.side)), seed);
  if (style === 'pixelated') pixelate(image, Math.max(2, Math.round(frame.side / BLOCKS)), frame);
}

/** Adds uniform per-channel noise, constant over grain × grain cells, from a seed so renders repeat. */
function addNoise(image: RgbImage, grain: number, seed: number): void {
  const rng = new Random(deriveSeed(seed, image.width, image.height));
  const { data, width, height } = image;
  const columns = Math.ceil(width / grain);
  const cellRow = new Int16Array(columns * 3);
  for (let y = 0; y < height; y++) {
    if (y % grain === 0) {
      for (let i = 0; i < cellRow.length; i++)
        cellRow[i] = Math.round((rng.next() * 2 - 1) * NOISE_AMPLITUDE);
    }
    for (let x = 0; x < width; x++) {
      const cell = Math.floor(x / grain) * 3;
      const p = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[p + c] = clamp(data[p + c]! + cellRow[cell + c]!);
    }
  }
}

/** Fills each block × block cell with the pixel at its centre; the grid is aligned to the central square. */
function pixelate(image: RgbImage, block: number, frame: Frame): void {
  const { data, width, height } = image;
  const originX = Math.round(frame.left) % block;
  const originY = Math.round(frame.top) % block;
  const cellStart = (v: number, origin: number): number => v - ((((v - origin) % block) + block) % block);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(height - 1, Math.max(0, cellStart(y, originY) + (block >> 1)));
    for (let x = 0; x < width; x++) {
      const sx = Math.min(width - 1, Math.max(0, cellStart(x, originX) + (block >> 1)));
      const p = (y * width + x) * 3;
      const s = (sy * width + sx) * 3;
      data[p] = data[s]!;
      data[p + 1] = data[s + 1]!;
      data[p + 2] = data[s + 2]!;
    }
  }
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
