import { type DecodedPixels, type ImageLimits, verifyImage } from '#clip';
import sharp from 'sharp';
import type { Size } from './openai-request.js';

/**
 * The image to edit at the size the request asked for: stretched to `size` (upright, as a PNG, any alpha
 * kept) before the edit, so the scores an answer carries are those of the image it answers. The image
 * itself when it has that size already, or no size was asked (`auto`).
 */
export async function atRequestedSize(
  image: Buffer,
  size: Size | null,
  limits: ImageLimits,
): Promise<Buffer> {
  if (!size) return image;
  const verified = await verifyImage(image, limits);
  if (verified.width === size.width && verified.height === size.height) return image;
  const { data, channels } = await interleaved(verified.pixels);
  const { width, height } = verified.pixels.rgb;
  return sharp(data, { raw: { width, height, channels } })
    .resize(size.width, size.height, { fit: 'fill' })
    .png()
    .toBuffer();
}

/** The pixels as one raw buffer, the alpha channel (if any) joined in. */
async function interleaved({ rgb, alpha }: DecodedPixels): Promise<{ data: Uint8Array; channels: 3 | 4 }> {
  if (!alpha) return { data: rgb.data, channels: 3 };
  const raw = { width: rgb.width, height: rgb.height };
  // A pipeline of its own: in one with the resize, sharp joins at the source's size and drops the resize.
  const data = await sharp(rgb.data, { raw: { ...raw, channels: 3 } })
    .joinChannel(Buffer.from(alpha), { raw: { ...raw, channels: 1 } })
    .raw()
    .toBuffer();
  return { data, channels: 4 };
}
