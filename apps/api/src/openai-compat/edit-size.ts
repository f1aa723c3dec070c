import { type ImageLimits, openImage, probeImage } from '#clip';
import { ApiError } from '../errors/api-error.js';
import type { Size } from './openai-request.js';

/**
 * The image to edit at the size the request asked for: stretched to `size` (upright, as a PNG) before the
 * edit, so the scores an answer carries are those of the image it answers. The image itself when it has
 * that size already, or no size was asked (`auto`).
 */
export async function atRequestedSize(
  image: Buffer,
  size: Size | null,
  limits: ImageLimits,
): Promise<Buffer> {
  if (!size) return image;
  const { width, height } = await probeImage(image, limits);
  if (width === size.width && height === size.height) return image;
  return openImage(image, limits)
    .resize(size.width, size.height, { fit: 'fill' })
    .png()
    .toBuffer()
    .catch((cause: unknown) => {
      throw new ApiError('BAD_IMAGE', 'the image could not be decoded to bring it to the size asked', {
        cause,
      });
    });
}
