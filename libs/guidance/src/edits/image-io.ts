import sharp from 'sharp';
import { DEFAULT_IMAGE_LIMITS, type ImageFormat, type ImageLimits, probeImage, readImageInput } from '#clip';
import type { RgbImage } from '../../../clip/src/antialias-resample.js';
import { asImageError, openImage } from '../../../clip/src/image-probe.js';

export type { RgbImage };

/** An image as the operators see it: packed RGB, with any alpha kept aside and put back on encoding. */
export interface DecodedImage {
  rgb: RgbImage;
  alpha: Uint8Array | null;
  format: ImageFormat;
}

export interface EncodedImage {
  bytes: Uint8Array;
  mimeType: string;
  width: number;
  height: number;
}

/** Decodes untrusted bytes under the engine's limits, upright (EXIF orientation applied) and in sRGB. */
export async function decodeImage(
  bytes: Uint8Array,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<DecodedImage> {
  const info = await probeImage(await readImageInput(bytes, limits), limits);
  try {
    const { data, info: raw } = await openImage(bytes, limits)
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = raw;
    if (channels === 3) return { rgb: { data, width, height }, alpha: null, format: info.format };
    if (channels !== 4) throw new Error(`decoded to ${channels} channels instead of 3 or 4`);
    const rgb = new Uint8Array(width * height * 3);
    const alpha = new Uint8Array(width * height);
    for (let i = 0; i < alpha.length; i++) {
      rgb.set(data.subarray(i * 4, i * 4 + 3), i * 3);
      alpha[i] = data[i * 4 + 3]!;
    }
    return { rgb: { data: rgb, width, height }, alpha, format: info.format };
  } catch (cause) {
    throw asImageError(cause, limits);
  }
}

/** Encodes in the input's format where that is lossless or the usual choice (PNG, JPEG, WebP), else PNG. */
export async function encodeImage(image: DecodedImage): Promise<EncodedImage> {
  const { rgb, alpha } = image;
  const channels = alpha ? 4 : 3;
  const data = alpha ? withAlpha(rgb, alpha) : rgb.data;
  const raw = sharp(data, { raw: { width: rgb.width, height: rgb.height, channels } });
  const [encoder, mimeType] =
    image.format === 'jpeg'
      ? [raw.jpeg({ quality: 92 }), 'image/jpeg']
      : image.format === 'webp'
        ? [raw.webp({ quality: 92 }), 'image/webp']
        : [raw.png(), 'image/png'];
  return { bytes: await encoder.toBuffer(), mimeType, width: rgb.width, height: rgb.height };
}

function withAlpha(rgb: RgbImage, alpha: Uint8Array): Uint8Array {
  const out = new Uint8Array(alpha.length * 4);
  for (let i = 0; i < alpha.length; i++) {
    out.set(rgb.data.subarray(i * 3, i * 3 + 3), i * 4);
    out[i * 4 + 3] = alpha[i]!;
  }
  return out;
}

/** A copy whose shorter side is at most `side` pixels; the image itself when it is already that small. */
export async function downscale(image: RgbImage, side: number): Promise<RgbImage> {
  const shorter = Math.min(image.width, image.height);
  if (shorter <= side) return image;
  const width = Math.max(1, Math.round((image.width * side) / shorter));
  const height = Math.max(1, Math.round((image.height * side) / shorter));
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
