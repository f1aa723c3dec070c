import sharp, { type Sharp } from 'sharp';
import type { RgbImage } from './image-io.js';

/** Per-pixel map; Uint8ClampedArray rounds and clamps each result. */
export function mapPixels(
  image: RgbImage,
  f: (r: number, g: number, b: number, out: number[]) => void,
): RgbImage {
  const { data, width, height } = image;
  const out = new Uint8ClampedArray(data.length);
  const px = [0, 0, 0];
  for (let p = 0; p < data.length; p += 3) {
    f(data[p]!, data[p + 1]!, data[p + 2]!, px);
    out[p] = px[0]!;
    out[p + 1] = px[1]!;
    out[p + 2] = px[2]!;
  }
  return { data: new Uint8Array(out.buffer), width, height };
}

/** The same curve on every channel, through a 256-entry table. */
export function mapLevels(image: RgbImage, curve: (v: number) => number): RgbImage {
  const table = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) table[v] = curve(v);
  return { ...image, data: image.data.map((v) => table[v]!) };
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

export function shorterSide(image: RgbImage): number {
  return Math.min(image.width, image.height);
}

/** Hue in degrees, [0, 360), of a colour whose largest channel is `max` and chroma (max − min) is > 0. */
export function hueOf(r: number, g: number, b: number, max: number, chroma: number): number {
  const sector =
    max === r ? ((g - b) / chroma + 6) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  return sector * 60;
}

/** The colour with hue `h` (degrees), chroma `chroma` and smallest channel `m`. */
export function fromHue(h: number, chroma: number, m: number, out: number[]): void {
  const hue = ((h % 360) + 360) % 360;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const [dr, dg, db] =
    hue < 60
      ? [chroma, x, 0]
      : hue < 120
        ? [x, chroma, 0]
        : hue < 180
          ? [0, chroma, x]
          : hue < 240
            ? [0, x, chroma]
            : hue < 300
              ? [x, 0, chroma]
              : [chroma, 0, x];
  out[0] = dr + m;
  out[1] = dg + m;
  out[2] = db + m;
}

export async function gaussianBlur(image: RgbImage, relativeSigma: number): Promise<RgbImage> {
  const sigma = relativeSigma * shorterSide(image);
  if (sigma < 0.3) return image; // below what sharp accepts, and below a visible blur
  return viaSharp(image, (s) => s.blur(sigma));
}

export async function viaSharp(image: RgbImage, op: (s: Sharp) => Sharp): Promise<RgbImage> {
  const { width, height } = image;
  const data = await op(sharp(image.data, { raw: { width, height, channels: 3 } }))
    .removeAlpha()
    .raw()
    .toBuffer();
  return { data, width, height };
}

/** A 32-bit integer hash of a few integers (murmur3's finaliser over a running mix). */
export function hash(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ v, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
