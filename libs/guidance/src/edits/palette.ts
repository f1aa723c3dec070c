import { colourDistance, type Rgb } from './colours.js';
import type { RgbImage } from './image-io.js';

export interface PaletteColour {
  /** Mean colour of the pixels it stands for. */
  rgb: Rgb;
  /** Fraction of the image's pixels. */
  share: number;
}

export interface PaletteOptions {
  /** Most colours returned (default 4). */
  max?: number;
  /** Smallest share of the image a colour needs (default 0.02): anti-aliased fringes stay out. */
  minShare?: number;
  /** RGB distance under which two colours count as one (default 48). */
  separation?: number;
}

/**
 * The image's main colours, most common first: where a recolour can start from. Pixels are counted in
 * 16 × 16 × 16 bins; bins are then merged, most populous first, into the nearest colour within
 * `separation` of them, so a shaded or jittered region stays one colour.
 */
export function dominantColours(image: RgbImage, options: PaletteOptions = {}): PaletteColour[] {
  const { max = 4, minShare = 0.02, separation = 48 } = options;
  const counts = new Uint32Array(4096);
  const sums = new Float64Array(4096 * 3);
  const { data } = image;
  for (let p = 0; p < data.length; p += 3) {
    const bin = ((data[p]! >> 4) << 8) | ((data[p + 1]! >> 4) << 4) | (data[p + 2]! >> 4);
    counts[bin]!++;
    for (let c = 0; c < 3; c++) sums[bin * 3 + c]! += data[p + c]!;
  }
  const order = [...counts.keys()].filter((b) => counts[b]! > 0).sort((a, b) => counts[b]! - counts[a]!);
  const clusters: { count: number; sum: [number, number, number] }[] = [];
  const mean = (k: { count: number; sum: readonly number[] }): Rgb =>
    k.sum.map((s) => s / k.count) as unknown as Rgb;
  for (const bin of order) {
    const count = counts[bin]!;
    const sum: [number, number, number] = [sums[bin * 3]!, sums[bin * 3 + 1]!, sums[bin * 3 + 2]!];
    const colour = mean({ count, sum });
    const near = clusters.find((k) => colourDistance(mean(k), colour) < separation);
    if (near) {
      near.count += count;
      for (let c = 0; c < 3; c++) near.sum[c]! += sum[c]!;
    } else {
      clusters.push({ count, sum });
    }
  }
  const total = data.length / 3;
  return clusters
    .filter((k) => k.count / total >= minShare)
    .sort((a, b) => b.count - a.count)
    .slice(0, max)
    .map((k) => ({ rgb: mean(k).map(Math.round) as unknown as Rgb, share: k.count / total }));
}
