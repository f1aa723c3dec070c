import { colourDistance, type Rgb } from './colours.js';
import type { RgbImage } from './image-io.js';

/** How far the unmixing looks for the colours a pixel is blended from, as a share of the image's longer side. */
const BLEND_REACH = 0.08;
const DIRECTIONS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
  [1, 1],
  [1, -1],
  [-1, 1],
  [-1, -1],
] as const;

/**
 * How much of each pixel is the colour `from`: 1 within `tolerance` of it, fading to 0 at twice that.
 * A pixel blended from `from` and another colour is unmixed: an anti-aliased edge or a blurred one (a
 * blur spreads an edge over tens of pixels). When a pixel of `from` lies within reach of it, it is
 * compared with the line from `from` to the farthest colour it sees around it; if it lies near that
 * line, its share is its position on it. So an object's edge moves with the object, and a recoloured
 * background keeps no ring of the old colour around a soft shape.
 */
export function shareOf(image: RgbImage, from: Rgb, tolerance: number): Float32Array {
  const { data, width, height } = image;
  const at = (i: number): Rgb => [data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!];
  // Each pixel's distance from `from`, taken once: the unmixing below reads it for up to 32 neighbours a pixel.
  const distance = new Float64Array(width * height);
  const near = new Float32Array(width * height);
  for (let i = 0; i < near.length; i++) {
    distance[i] = colourDistance(at(i), from);
    near[i] = Math.min(1, Math.max(0, (2 * tolerance - distance[i]!) / tolerance));
  }
  const reach = Math.max(1, Math.round(BLEND_REACH * Math.max(width, height)));
  const steps = [...new Set([1, Math.round(reach / 4), Math.round(reach / 2), reach])].filter((s) => s > 0);
  const share = Float32Array.from(near);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (near[i] === 1) continue;
      let touches = false;
      let far = -1;
      let farDistance = -1;
      for (const step of steps) {
        for (const [dx, dy] of DIRECTIONS) {
          const nx = x + dx * step;
          const ny = y + dy * step;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          touches ||= near[j] === 1;
          if (distance[j]! > farDistance) [far, farDistance] = [j, distance[j]!];
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
