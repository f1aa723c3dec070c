/**
 * Antialiased separable resampling of 8-bit RGB, bit-exact with torchvision's uint8 resize
 * (`antialias=True`), which is what transformers' CLIPImageProcessor runs. Weights follow PIL's
 * filters; torch quantises them to int16 with a precision chosen per axis, and that rounding is
 * what makes other resamplers differ by one level on a few hundred pixels per image.
 */

import { resampleSimd } from './antialias-simd.js';
import type { RgbImage } from './rgb-image.js';

export type AntialiasFilter = 'bilinear' | 'bicubic';

const FILTERS: Readonly<Record<AntialiasFilter, { support: number; weight: (x: number) => number }>> = {
  bilinear: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  bicubic: { support: 2, weight: bicubicWeight },
};

/** Keys cubic convolution with a = -0.5, as PIL and torch's antialiased kernels use. */
function bicubicWeight(t: number): number {
  const a = -0.5;
  const x = Math.abs(t);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Integer weights for one axis: output i reads `count[i]` inputs from `first[i]`. */
export interface AxisWeights {
  first: Int32Array;
  count: Int32Array;
  taps: number;
  weights: Int32Array;
  precision: number;
}

const weightCache = new Map<string, AxisWeights>();

function axisWeights(inSize: number, outSize: number, filter: AntialiasFilter): AxisWeights {
  const key = `${filter}:${inSize}:${outSize}`;
  const cached = weightCache.get(key);
  if (cached) return cached;
  const { support: baseSupport, weight } = FILTERS[filter];
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = baseSupport * filterScale;
  const taps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const real = new Float64Array(outSize * taps);
  let maxWeight = 0;
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const lo = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - lo;
    let total = 0;
    for (let k = 0; k < n; k++) total += real[i * taps + k] = weight((k + lo - center + 0.5) / filterScale);
    for (let k = 0; k < n; k++) {
      const w = total === 0 ? real[i * taps + k]! : real[i * taps + k]! / total;
      real[i * taps + k] = w;
      maxWeight = Math.max(maxWeight, w);
    }
    first[i] = lo;
    count[i] = n;
  }
  // torch picks the largest precision at which the biggest weight still fits in an int16.
  let precision = 0;
  while (precision < 22 && Math.trunc(0.5 + maxWeight * 2 ** (precision + 1)) < 1 << 15) precision++;
  const weights = new Int32Array(real.length);
  for (let j = 0; j < real.length; j++) {
    const v = real[j]! * 2 ** precision;
    weights[j] = v < 0 ? Math.trunc(v - 0.5) : Math.trunc(v + 0.5);
  }
  const result = { first, count, taps, weights, precision };
  weightCache.set(key, result);
  return result;
}

function clampByte(accumulator: number, precision: number): number {
  const v = accumulator >> precision;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** A window of the resized image: only these output pixels are computed. */
export interface OutputWindow {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Resizes packed RGB to `outWidth × outHeight` and returns only `window` of the result: horizontal pass
 * first, then vertical, rounded to 8 bits in between as torch does. Computing the window alone is exact,
 * since each output pixel depends only on its own weights, and it skips the pixels a centre crop drops.
 * `simd` runs both passes as WebAssembly SIMD kernels (same arithmetic, same bits); `js` is the reference.
 */
export function resampleRgb(
  image: RgbImage,
  outWidth: number,
  outHeight: number,
  window: OutputWindow,
  filter: AntialiasFilter,
  implementation: 'simd' | 'js' = 'simd',
): RgbImage {
  const resizeRows = outHeight !== image.height;
  const vertical = resizeRows ? axisWeights(image.height, outHeight, filter) : null;
  const horizontal = outWidth !== image.width ? axisWeights(image.width, outWidth, filter) : null;
  const last = window.top + window.height - 1;
  // The input rows the vertical pass reads (or the window's own rows when there is none).
  const rowFrom = vertical ? vertical.first[window.top]! : window.top;
  const rowTo = vertical ? vertical.first[last]! + vertical.count[last]! : window.top + window.height;
  if (implementation === 'simd') {
    const data = resampleSimd({
      src: image.data,
      srcWidth: image.width,
      rowFrom,
      rowTo,
      horizontal,
      vertical,
      ...window,
    });
    if (data) return { data, width: window.width, height: window.height };
  }
  const rows = horizontal
    ? resampleRows(image, horizontal, window.left, window.width, rowFrom, rowTo)
    : crop(image, window.left, rowFrom, window.width, rowTo - rowFrom);
  return vertical ? resampleColumns(rows, vertical, window.top, window.height, rowFrom) : rows;
}

function crop(image: RgbImage, left: number, top: number, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const start = ((y + top) * image.width + left) * 3;
    out.set(image.data.subarray(start, start + width * 3), y * width * 3);
  }
  return { data: out, width, height };
}

/** Horizontal pass: output columns [colFrom, colFrom + width) of input rows [rowFrom, rowTo). */
function resampleRows(
  image: RgbImage,
  axis: AxisWeights,
  colFrom: number,
  width: number,
  rowFrom: number,
  rowTo: number,
): RgbImage {
  const { first, count, taps, weights, precision } = axis;
  const height = rowTo - rowFrom;
  const out = new Uint8Array(height * width * 3);
  const src = image.data;
  const half = 1 << (precision - 1);
  for (let y = 0; y < height; y++) {
    const rowBase = (y + rowFrom) * image.width * 3;
    for (let x = 0; x < width; x++) {
      const o = x + colFrom;
      const n = count[o]!;
      const wBase = o * taps;
      let r = half;
      let g = half;
      let b = half;
      for (let k = 0, p = rowBase + first[o]! * 3; k < n; k++, p += 3) {
        const w = weights[wBase + k]!;
        r += src[p]! * w;
        g += src[p + 1]! * w;
        b += src[p + 2]! * w;
      }
      const q = (y * width + x) * 3;
      out[q] = clampByte(r, precision);
      out[q + 1] = clampByte(g, precision);
      out[q + 2] = clampByte(b, precision);
    }
  }
  return { data: out, width, height };
}

/** Vertical pass: output rows [top, top + height), reading `image` whose first row is input row `rowOffset`. */
function resampleColumns(
  image: RgbImage,
  axis: AxisWeights,
  top: number,
  height: number,
  rowOffset: number,
): RgbImage {
  const { first, count, taps, weights, precision } = axis;
  const width = image.width;
  const stride = width * 3;
  const out = new Uint8Array(height * stride);
  const src = image.data;
  const half = 1 << (precision - 1);
  for (let y = 0; y < height; y++) {
    const o = y + top;
    const n = count[o]!;
    const wBase = o * taps;
    const rowBase = (first[o]! - rowOffset) * stride;
    for (let c = 0; c < stride; c++) {
      let acc = half;
      for (let k = 0, p = rowBase + c; k < n; k++, p += stride) acc += src[p]! * weights[wBase + k]!;
      out[y * stride + c] = clampByte(acc, precision);
    }
  }
  return { data: out, width, height };
}
