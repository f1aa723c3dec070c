import { DEFAULT_IMAGE_LIMITS, type ImageLimits, type VerifiedImage } from '#clip';
import { blendMasked, maskFromImage } from './edit-mask.js';
import { decodeImage, encodeImage, type RgbImage } from './image-io.js';
import type { Operation } from './operator.js';
import { resolveChain } from './validate-operations.js';

/** Applies a validated chain to packed RGB, in order. */
export async function applyToPixels(image: RgbImage, operations: readonly Operation[]): Promise<RgbImage> {
  let current = image;
  for (const { operator, values } of resolveChain(operations))
    current = await operator.apply(current, values);
  return current;
}

/**
 * Replays an edit chain on an encoded image: same bytes in, same bytes out. The result keeps the input's
 * format where sensible (PNG, JPEG, WebP; PNG otherwise) and its alpha channel. With `mask` (an edit's
 * mask image, white editable), the chain changes only what the mask lets it, as the edit did.
 */
export async function applyOperations(
  image: Uint8Array | VerifiedImage,
  operations: readonly Operation[],
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
  mask?: Uint8Array | VerifiedImage,
): Promise<VerifiedImage> {
  resolveChain(operations);
  const decoded = await decodeImage(image, limits);
  const edited = await applyToPixels(decoded.rgb, operations);
  if (!mask) return encodeImage({ ...decoded, rgb: edited }, limits);
  const weights = await maskFromImage(mask, decoded.rgb.width, decoded.rgb.height, limits);
  return encodeImage({ ...decoded, rgb: blendMasked(decoded.rgb, edited, weights) }, limits);
}
