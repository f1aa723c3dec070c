import { createHash } from 'node:crypto';
import { type DecodeStage, noteDecode } from './decode-events.js';
import {
  asImageError,
  type ImageFormat,
  type ImageInfo,
  type ImageLimits,
  mimeTypeOf,
  openImage,
  probeImage,
  readImageInput,
} from './image-probe.js';
import type { RgbImage } from './rgb-image.js';

/** An image's pixels as decoded once: upright packed RGB, with any alpha kept aside. */
export interface DecodedPixels {
  rgb: RgbImage;
  alpha: Uint8Array | null;
}

/**
 * One image as it travels through a request: the bytes, what they are, their SHA-256, and their pixels.
 * Made once where an image enters (upload, base64, URL, generator output) by verifyImage, which decodes
 * every pixel; everything after it (CLIP preprocessing, the edit operators, the asset store) reuses it
 * instead of decoding or hashing again.
 */
export interface VerifiedImage extends ImageInfo {
  readonly kind: 'verified';
  readonly bytes: Uint8Array;
  /** SHA-256 of the bytes, lowercase hex. */
  readonly sha256: string;
  readonly pixels: DecodedPixels;
}

/**
 * Checks the bytes are a whole image within the limits (ImageInputError otherwise: not an image, an
 * unsupported format, too many bytes or pixels, truncated or corrupt) by decoding every pixel, and keeps
 * those pixels.
 */
export async function verifyImage(
  bytes: Uint8Array,
  limits: ImageLimits,
  stage: DecodeStage = 'verify',
): Promise<VerifiedImage> {
  const info = await probeImage(await readImageInput(bytes, limits), limits);
  const pixels = await decodePixels(bytes, limits, stage);
  return { kind: 'verified', ...info, bytes, sha256: sha256Hex(bytes), pixels };
}

/**
 * Bytes this process has just encoded losslessly from `pixels` (a PNG of an edit): verified without
 * decoding them back, since they decode to exactly these pixels.
 */
export function verifiedFromPixels(
  bytes: Uint8Array,
  format: Extract<ImageFormat, 'png'>,
  pixels: DecodedPixels,
): VerifiedImage {
  const { width, height } = pixels.rgb;
  return {
    kind: 'verified',
    format,
    mimeType: mimeTypeOf(format),
    width,
    height,
    hasAlpha: pixels.alpha !== null,
    orientation: 1,
    bytes,
    sha256: sha256Hex(bytes),
    pixels,
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Decodes every pixel (upright, sRGB), splitting any alpha channel off the RGB. */
async function decodePixels(
  bytes: Uint8Array,
  limits: ImageLimits,
  stage: DecodeStage,
): Promise<DecodedPixels> {
  try {
    noteDecode(stage);
    const { data, info } = await openImage(bytes, limits)
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = info;
    if (channels === 3) return { rgb: { data, width, height }, alpha: null };
    if (channels !== 4) throw new Error(`decoded to ${channels} channels instead of 3 or 4`);
    const rgb = new Uint8Array(width * height * 3);
    const alpha = new Uint8Array(width * height);
    for (let i = 0, p = 0; i < alpha.length; i++, p += 4) {
      rgb[i * 3] = data[p]!;
      rgb[i * 3 + 1] = data[p + 1]!;
      rgb[i * 3 + 2] = data[p + 2]!;
      alpha[i] = data[p + 3]!;
    }
    return { rgb: { data: rgb, width, height }, alpha };
  } catch (cause) {
    throw asImageError(cause, limits);
  }
}
