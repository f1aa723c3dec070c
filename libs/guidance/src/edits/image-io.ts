import sharp from 'sharp';
import {
  DEFAULT_IMAGE_LIMITS,
  type DecodedPixels,
  type ImageFormat,
  type ImageLimits,
  isVerifiedImage,
  type RgbImage,
  verifiedFromPixels,
  type VerifiedImage,
  verifyImage,
} from '#clip';

export type { RgbImage };

/** An image as the operators see it: packed RGB, with any alpha kept aside and put back on encoding. */
export interface DecodedImage extends DecodedPixels {
  format: ImageFormat;
}

/**
 * The operators' view of an image: a verified image's own pixels (no decode), or untrusted bytes
 * verified here under the engine's limits (one decode: upright, EXIF orientation applied, sRGB).
 */
export async function decodeImage(
  image: Uint8Array | VerifiedImage,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<DecodedImage> {
  const verified = isVerifiedImage(image) ? image : await verifyImage(image, limits);
  return { ...verified.pixels, format: verified.format };
}

/**
 * Encodes in the input's format where that is lossless or the usual choice (PNG, JPEG, WebP), else PNG.
 * A PNG is verified from the pixels it was made of; a lossy result is read back once, so what is scored
 * and stored is what the caller gets.
 */
export async function encodeImage(
  image: DecodedImage,
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<VerifiedImage> {
  const { rgb, alpha } = image;
  const channels = alpha ? 4 : 3;
  const data = alpha ? withAlpha(rgb, alpha) : rgb.data;
  const raw = sharp(data, { raw: { width: rgb.width, height: rgb.height, channels } });
  if (image.format === 'jpeg' || image.format === 'webp') {
    const lossy = image.format === 'jpeg' ? raw.jpeg({ quality: 92 }) : raw.webp({ quality: 92 });
    return verifyImage(await lossy.toBuffer(), limits, 'edit-result');
  }
  return verifiedFromPixels(await raw.png().toBuffer(), 'png', { rgb, alpha });
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
  return resizeRgb(image, width, height);
}

/** A copy stretched to `width` × `height`; the image itself when it is that size already. */
export async function resizeRgb(image: RgbImage, width: number, height: number): Promise<RgbImage> {
  if (image.width === width && image.height === height) return image;
  const { data, info } = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: 3 },
  })
    .resize(width, height, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
