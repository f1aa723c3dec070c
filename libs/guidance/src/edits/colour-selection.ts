import { colourDistance, type Rgb } from './colours.js';
import type { RgbImage } from './image-io.js';

/**
 * How much of each pixel is the colour `from`: 1 within `tolerance` of it, fading to 0 at twice that.
 * An anti-aliased pixel beside a pixel of `from` is unmixed: if it lies near the line from `from` to its
 * farthest neighbour, its share is its position on that line, so an object's edge moves with the object
 * instead of keeping a fringe of the old colour.
 */
export function shareOf(image: RgbImage, from: Rgb, tolerance: number): Float32Array {
  const { data, width, height } = image;
  const at = (i: number): Rgb => [data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!];
  const near = new Float32Array(width * height);
  for (let i = 0; i < near.length; i++) {
    near[i] = Math.min(1, Math.max(0, (2 * tolerance - colourDistance(at(i), from)) / tolerance));
  }
  const share = Float32Array.from(near);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (near[i] === 1) continue;
      let touches = false;
      let far = -1;
      let farDistance = -1;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const j = ny * width + nx;
          touches ||= near[j] === 1;
          const d = colourDistance(at(j), from);
          if (d > farDistance) [far, farDistance] = [j, d];
        }
      }
      if (!touches || farDistance <= 2 * tolerance) continue;
      const [p, q] = [at(i), at(far)];
      const v = [from[0] - q[0], from[1] - q[1], from[2] - q[2]];
      const t = ((p[0] - q[0]) * v[0]! + (p[1] - q[1]) * v[1]! + (p[2] - q[2]) * v[2]!) / farDistance ** 2;
      const mix = Math.min(1, Math.max(0, t));
      const onLine: Rgb = [q[0] + mix * v[0]!, q[1] + mix * v[1]!, q[2] + mix * v[2]!];
      if (colourDistance(p, onLine) <= tolerance / 2) share[i] = Math.max(near[i]!, mix);
    }
  }
  return share;
}
