import sharp from 'sharp';
import type { RgbImage } from '#clip';
import type { Box } from '../scene-svg.js';
import { type Colour, COLOUR_RGB, COLOURS } from '../vocabulary.js';

/** Decodes encoded image bytes to packed RGB. */
export async function decodeRgb(bytes: Uint8Array): Promise<RgbImage> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function pixelAt(image: RgbImage, x: number, y: number): [number, number, number] {
  const p = (y * image.width + x) * 3;
  return [image.data[p]!, image.data[p + 1]!, image.data[p + 2]!];
}

/** The vocabulary colour whose canonical sRGB is nearest. */
export function nearestColour([r, g, b]: readonly number[]): Colour {
  let best: Colour = 'black';
  let bestDistance = Infinity;
  for (const colour of COLOURS) {
    const [cr, cg, cb] = COLOUR_RGB[colour];
    const d = (r! - cr) ** 2 + (g! - cg) ** 2 + (b! - cb) ** 2;
    if (d < bestDistance) [best, bestDistance] = [colour, d];
  }
  return best;
}

/** How many pixels inside the box are nearest each colour. */
export function colourCounts(image: RgbImage, box: Box): Map<Colour, number> {
  const counts = new Map<Colour, number>();
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = box.x; x < box.x + box.width; x++) {
      const colour = nearestColour(pixelAt(image, x, y));
      counts.set(colour, (counts.get(colour) ?? 0) + 1);
    }
  }
  return counts;
}

/** Mean HSV saturation (max − min) / max over all pixels. */
export function meanSaturation(image: RgbImage): number {
  let total = 0;
  for (let p = 0; p < image.data.length; p += 3) {
    const [r, g, b] = [image.data[p]!, image.data[p + 1]!, image.data[p + 2]!];
    const max = Math.max(r, g, b);
    total += max === 0 ? 0 : (max - Math.min(r, g, b)) / max;
  }
  return total / (image.data.length / 3);
}

/** Mean squared difference between horizontally and vertically adjacent pixels: high for sharp edges. */
export function edgeEnergy(image: RgbImage): number {
  const { data, width, height } = image;
  let total = 0;
  for (let y = 0; y < height - 1; y++) {
    for (let x = 0; x < width - 1; x++) {
      const p = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        total += (data[p + c]! - data[p + 3 + c]!) ** 2 + (data[p + c]! - data[p + width * 3 + c]!) ** 2;
      }
    }
  }
  return total / ((width - 1) * (height - 1));
}
