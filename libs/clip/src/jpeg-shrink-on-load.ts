import type { RgbImage } from './rgb-image.js';
import { type ImageLimits, openImage } from './image-probe.js';

/**
 * The fast road for large JPEGs (`resizeMode: 'fast'`): libjpeg decodes at 1/2, 1/4 or 1/8 scale (DCT
 * scaling: a quarter to a sixty-fourth of the pixels through the inverse DCT, upsampling and colour
 * conversion), libvips takes it the rest of the way to an intermediate, and the exact resampler finishes.
 */

const DCT_SCALES = [8, 4, 2] as const;

/** The DCT-scaled image keeps at least this many times the resize target's short side. */
const MARGIN = 2;

/**
 * The intermediate size to ask sharp for, or null when no DCT scale leaves the margin (small images):
 * the largest scale s whose decode keeps MARGIN × `targetShort`, then the largest size sharp reaches with
 * it. sharp only decodes at 1/s when the whole shrink is at least s + 1 (libjpeg rounds scaled sizes up),
 * so the intermediate is 1/(s + 1) of the image, never larger.
 */
export function shrinkOnLoadSize(
  width: number,
  height: number,
  targetShort: number,
): { width: number; height: number; scale: number } | null {
  const short = Math.min(width, height);
  const scale = DCT_SCALES.find((s) => short / s >= MARGIN * targetShort);
  if (!scale) return null;
  const intermediateShort = Math.floor(short / (scale + 1));
  const fit = (side: number): number => Math.max(1, Math.floor((side * intermediateShort) / short));
  return { width: fit(width), height: fit(height), scale };
}

/** The JPEG decoded with DCT scaling and reduced to `size` by libvips: oriented, sRGB, alpha dropped. */
export async function shrinkOnLoadRgb(
  bytes: Uint8Array,
  size: { width: number; height: number },
  limits: ImageLimits,
): Promise<RgbImage> {
  const { data, info } = await openImage(bytes, limits)
    .resize(size.width, size.height, { fit: 'fill', kernel: 'cubic', fastShrinkOnLoad: true })
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}
