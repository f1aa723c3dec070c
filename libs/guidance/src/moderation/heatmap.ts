import { type RgbImage, verifiedFromPixels, type VerifiedImage } from '#clip';
import sharp from 'sharp';
import type { Box } from './windows.js';

/**
 * Paints the mean score of the windows covering each pixel over a dimmed grey copy of the image:
 * transparent where the score is low, red where it is high. Computed on a downscaled grid.
 */
export async function renderHeatmap(
  image: RgbImage,
  windows: readonly Box[],
  scores: readonly number[],
  maxSide: number,
): Promise<{ png: Buffer; width: number; height: number; image: VerifiedImage }> {
  const ratio = Math.min(1, maxSide / Math.max(image.width, image.height));
  const width = Math.max(1, Math.round(image.width * ratio));
  const height = Math.max(1, Math.round(image.height * ratio));
  const sum = new Float32Array(width * height);
  const count = new Float32Array(width * height);
  windows.forEach((box, i) => {
    const x0 = Math.floor(box.x * ratio);
    const y0 = Math.floor(box.y * ratio);
    const x1 = Math.min(width, Math.ceil((box.x + box.width) * ratio));
    const y1 = Math.min(height, Math.ceil((box.y + box.height) * ratio));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        sum[y * width + x]! += scores[i]!;
        count[y * width + x]! += 1;
      }
    }
  });
  const grey = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .resize(width, height, { fit: 'fill' })
    .greyscale()
    .raw()
    .toBuffer();
  const out = Buffer.alloc(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    const heat = count[p]! > 0 ? sum[p]! / count[p]! : 0;
    const base = grey[p]! * 0.6;
    out[p * 3] = Math.round(base * (1 - heat) + 255 * heat);
    out[p * 3 + 1] = Math.round(base * (1 - heat));
    out[p * 3 + 2] = Math.round(base * (1 - heat));
  }
  const png = await sharp(out, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
  // Stored as made: verified from its own pixels, not decoded back.
  const verified = verifiedFromPixels(png, 'png', { rgb: { data: out, width, height }, alpha: null });
  return { png, width, height, image: verified };
}
