import { describe, expect, it } from 'vitest';
import { type AntialiasFilter, resampleRgb } from './antialias-resample.js';
import type { RgbImage } from './rgb-image.js';
import { simdAvailable } from './antialias-simd.js';

/** mulberry32: a seeded source of test cases. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Noise over smooth gradients, so both flat areas and edges (clamping) are exercised. */
function image(width: number, height: number, rnd: () => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) {
    const x = Math.floor(i / 3) % width;
    data[i] = rnd() < 0.3 ? Math.floor(rnd() * 256) : (x * 7 + Math.floor(i / (3 * width)) * 3) % 256;
  }
  return { data, width, height };
}

function bothWays(
  img: RgbImage,
  outWidth: number,
  outHeight: number,
  window: { left: number; top: number; width: number; height: number },
  filter: AntialiasFilter,
): void {
  const js = resampleRgb(img, outWidth, outHeight, window, filter, 'js');
  const simd = resampleRgb(img, outWidth, outHeight, window, filter, 'simd');
  expect(simd.width).toBe(js.width);
  expect(simd.height).toBe(js.height);
  expect(Buffer.from(simd.data).equals(Buffer.from(js.data))).toBe(true);
}

describe('resampleRgb: the SIMD kernels against the reference passes', () => {
  it('has WebAssembly SIMD on this runtime', () => {
    expect(simdAvailable()).toBe(true);
  });

  it('gives the same bytes for random sizes, scales, windows and both filters', () => {
    const rnd = random(7);
    for (let t = 0; t < 150; t++) {
      const big = t >= 60;
      const width = 1 + Math.floor(rnd() * (big ? 500 : 40));
      const height = 1 + Math.floor(rnd() * (big ? 500 : 40));
      const outWidth = 1 + Math.floor(rnd() * width * 2);
      const outHeight = 1 + Math.floor(rnd() * height * 2);
      const w = 1 + Math.floor(rnd() * outWidth);
      const h = 1 + Math.floor(rnd() * outHeight);
      const window = {
        left: Math.floor(rnd() * (outWidth - w + 1)),
        top: Math.floor(rnd() * (outHeight - h + 1)),
        width: w,
        height: h,
      };
      bothWays(image(width, height, rnd), outWidth, outHeight, window, rnd() < 0.5 ? 'bicubic' : 'bilinear');
    }
  });

  it('handles one axis unchanged, both unchanged, and very strong downscales', () => {
    const rnd = random(11);
    const img = image(640, 480, rnd);
    bothWays(img, 640, 224, { left: 208, top: 0, width: 224, height: 224 }, 'bicubic');
    bothWays(img, 298, 480, { left: 37, top: 128, width: 224, height: 224 }, 'bicubic');
    bothWays(img, 640, 480, { left: 10, top: 20, width: 300, height: 200 }, 'bicubic');
    bothWays(image(2000, 300, rnd), 40, 6, { left: 0, top: 0, width: 40, height: 6 }, 'bicubic');
    bothWays(image(1024, 1024, rnd), 224, 224, { left: 0, top: 0, width: 224, height: 224 }, 'bicubic');
  });

  it('gives the same bytes when the source goes through in several strips (over 4 MB of rows)', () => {
    const rnd = random(13);
    bothWays(image(3000, 2000, rnd), 336, 224, { left: 56, top: 0, width: 224, height: 224 }, 'bicubic');
    bothWays(image(1500, 1501, rnd), 224, 224, { left: 0, top: 0, width: 224, height: 224 }, 'bilinear');
  });
});
