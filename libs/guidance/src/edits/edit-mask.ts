import sharp from 'sharp';
import {
  DEFAULT_IMAGE_LIMITS,
  decodeRgb,
  type ImageLimits,
  isVerifiedImage,
  verifiedFromPixels,
  type VerifiedImage,
} from '#clip';
import { GuidanceError } from '../errors.js';
import type { RgbImage } from './image-io.js';

/**
 * Where an edit may change the picture: one weight per pixel, 1 editable, 0 kept as it was, soft in
 * between so an edit fades in over a feathered edge.
 */
export interface EditMask {
  weights: Float32Array;
  width: number;
  height: number;
}

export interface Region {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Weights at or above this count as inside: the region box and the mask's binary form use it. */
const INSIDE = 0.5;

/** A caller's mask image (white editable, black kept), read as luma and stretched to the picture's size. */
export async function maskFromImage(
  image: Uint8Array | VerifiedImage,
  width: number,
  height: number,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<EditMask> {
  const rgb = isVerifiedImage(image) ? image.pixels.rgb : await decodeRgb(image, limits, 'mask');
  const grey = new Uint8Array(rgb.width * rgb.height);
  for (let i = 0; i < grey.length; i++) {
    const p = i * 3;
    grey[i] = Math.round(0.299 * rgb.data[p]! + 0.587 * rgb.data[p + 1]! + 0.114 * rgb.data[p + 2]!);
  }
  const mask = await resizeGrey(grey, rgb.width, rgb.height, width, height);
  if (!mask.weights.some((w) => w >= INSIDE)) {
    throw new GuidanceError(
      'BAD_MASK',
      'the mask has no editable (white) pixels: white marks what the edit may change',
    );
  }
  return mask;
}

/** The mask at another size (the working copy's, or full size), bilinear so the feathering survives. */
export async function resizeMask(mask: EditMask, width: number, height: number): Promise<EditMask> {
  if (mask.width === width && mask.height === height) return mask;
  return resizeGrey(toGrey(mask), mask.width, mask.height, width, height);
}

async function resizeGrey(
  grey: Uint8Array,
  fromWidth: number,
  fromHeight: number,
  width: number,
  height: number,
): Promise<EditMask> {
  const data =
    fromWidth === width && fromHeight === height
      ? grey
      : await sharp(grey, { raw: { width: fromWidth, height: fromHeight, channels: 1 } })
          .resize(width, height, { fit: 'fill', kernel: 'linear' })
          .toColourspace('b-w')
          .raw()
          .toBuffer();
  return { weights: Float32Array.from(data, (v) => v / 255), width, height };
}

function toGrey(mask: EditMask): Uint8Array {
  return Uint8Array.from(mask.weights, (w) => Math.round(255 * w));
}

/** A hard 0/1 mask with its edge softened by a Gaussian of `feather` pixels: no seam where an edit stops. */
export async function featherMask(
  inside: Uint8Array,
  width: number,
  height: number,
  feather: number,
): Promise<EditMask> {
  const grey = inside.map((v) => (v ? 255 : 0));
  if (feather < 0.3) return { weights: Float32Array.from(grey, (v) => v / 255), width, height };
  const data = await sharp(grey, { raw: { width, height, channels: 1 } })
    .blur(feather)
    .toColourspace('b-w')
    .raw()
    .toBuffer();
  return { weights: Float32Array.from(data, (v) => v / 255), width, height };
}

/** Everything the mask keeps becomes editable and the other way round: "the background" of an object. */
export function invertMask(mask: EditMask): EditMask {
  return { ...mask, weights: mask.weights.map((w) => 1 - w) };
}

/** `edited` where the mask is 1, `source` where it is 0, mixed in between. */
export function blendMasked(source: RgbImage, edited: RgbImage, mask: EditMask): RgbImage {
  const out = new Uint8ClampedArray(source.data.length);
  for (let i = 0; i < mask.weights.length; i++) {
    const w = mask.weights[i]!;
    for (let c = 0, p = i * 3; c < 3; c++, p++)
      out[p] = source.data[p]! + w * (edited.data[p]! - source.data[p]!);
  }
  return { data: new Uint8Array(out.buffer), width: source.width, height: source.height };
}

/** The box around the mask's inside (weights ≥ 0.5), or null when nothing is inside. */
export function maskRegion(mask: EditMask): Region | null {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.weights[y * mask.width + x]! < INSIDE) continue;
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
    }
  }
  return maxX < 0 ? null : { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
}

/** The mask as a greyscale PNG, white editable: what a caller can look at or send back. */
export async function maskPng(mask: EditMask): Promise<VerifiedImage> {
  const grey = toGrey(mask);
  const bytes = await sharp(grey, { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .png()
    .toBuffer();
  // A grey PNG decodes to its grey level in all three channels.
  const rgb = new Uint8Array(grey.length * 3);
  grey.forEach((v, i) => rgb.fill(v, i * 3, i * 3 + 3));
  return verifiedFromPixels(bytes, 'png', {
    rgb: { data: rgb, width: mask.width, height: mask.height },
    alpha: null,
  });
}
