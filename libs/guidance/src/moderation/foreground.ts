import type { RgbImage } from '#clip';
import type { Box } from './windows.js';

export type Rgb = readonly [number, number, number];

export interface Background {
  /** The commonest colour of the box's outermost pixels (median of the most populated colour bin). */
  colour: Rgb;
  /** Share of those pixels within `tolerance` of it: near 1 on a plain ground, low on a busy one. */
  share: number;
}

/** Bins per channel of the colour histogram that finds the border's commonest colour. */
const BINS = 8;

/**
 * What "nothing here" looks like around a box: the commonest colour along its border. A mode, not a mean,
 * so an object the border crosses does not tint it.
 */
export function estimateBackground(image: RgbImage, box: Box, tolerance: number): Background {
  const border = borderPixels(image, box);
  const binOf = (p: number): number => {
    const q = (c: number): number => Math.min(BINS - 1, Math.floor((border[p + c]! * BINS) / 256));
    return (q(0) * BINS + q(1)) * BINS + q(2);
  };
  const counts = new Uint32Array(BINS ** 3);
  for (let p = 0; p < border.length; p += 3) counts[binOf(p)]!++;
  const mode = counts.indexOf(Math.max(...counts));
  const members: number[][] = [[], [], []];
  for (let p = 0; p < border.length; p += 3) {
    if (binOf(p) === mode) for (let c = 0; c < 3; c++) members[c]!.push(border[p + c]!);
  }
  const colour = members.map(median) as unknown as Rgb;
  let near = 0;
  for (let p = 0; p < border.length; p += 3) {
    if (distance(border, p, colour) <= tolerance) near++;
  }
  return { colour, share: near / (border.length / 3) };
}

/** A connected set of pixels that differ from the background, in image pixels. */
export interface Component {
  box: Box;
  /** Its pixels, as indices `y * image.width + x`. */
  pixels: Int32Array;
}

/**
 * The 4-connected regions of pixels farther than `tolerance` from the background colour, inside `area`.
 * Components smaller than `minPixels` are dropped (noise, anti-aliasing specks).
 */
export function foregroundComponents(
  image: RgbImage,
  area: Box,
  background: Rgb,
  tolerance: number,
  minPixels: number,
): Component[] {
  const { width } = image;
  const seen = new Uint8Array(area.width * area.height);
  const local = (x: number, y: number): number => (y - area.y) * area.width + (x - area.x);
  const isForeground = (x: number, y: number): boolean =>
    distance(image.data, (y * width + x) * 3, background) > tolerance;
  const components: Component[] = [];
  const stack: number[] = [];
  for (let y0 = area.y; y0 < area.y + area.height; y0++) {
    for (let x0 = area.x; x0 < area.x + area.width; x0++) {
      if (seen[local(x0, y0)]) continue;
      seen[local(x0, y0)] = 1;
      if (!isForeground(x0, y0)) continue;
      const pixels: number[] = [];
      let [minX, minY, maxX, maxY] = [x0, y0, x0, y0];
      stack.push(x0, y0);
      while (stack.length > 0) {
        const y = stack.pop()!;
        const x = stack.pop()!;
        pixels.push(y * width + x);
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
        for (const [nx, ny] of [
          [x - 1, y],
          [x + 1, y],
          [x, y - 1],
          [x, y + 1],
        ] as const) {
          if (nx < area.x || ny < area.y || nx >= area.x + area.width || ny >= area.y + area.height) continue;
          const n = local(nx, ny);
          if (seen[n]) continue;
          seen[n] = 1;
          if (isForeground(nx, ny)) stack.push(nx, ny);
        }
      }
      if (pixels.length < minPixels) continue;
      components.push({
        box: { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 },
        pixels: Int32Array.from(pixels),
      });
    }
  }
  return components;
}

function borderPixels(image: RgbImage, box: Box): Uint8Array {
  const out: number[] = [];
  const push = (x: number, y: number): void => {
    const p = (y * image.width + x) * 3;
    out.push(image.data[p]!, image.data[p + 1]!, image.data[p + 2]!);
  };
  const [x1, y1] = [box.x + box.width - 1, box.y + box.height - 1];
  for (let x = box.x; x <= x1; x++) {
    push(x, box.y);
    if (y1 > box.y) push(x, y1);
  }
  for (let y = box.y + 1; y < y1; y++) {
    push(box.x, y);
    if (x1 > box.x) push(x1, y);
  }
  return Uint8Array.from(out);
}

function distance(data: ArrayLike<number>, p: number, colour: Rgb): number {
  const [dr, dg, db] = [data[p]! - colour[0], data[p + 1]! - colour[1], data[p + 2]! - colour[2]];
  return Math.sqrt(dr * dr + dg * dg + db * db);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
