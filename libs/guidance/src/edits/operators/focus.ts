import { implement } from '../operator.js';
import { OPERATOR_TABLE } from '../operator-table.js';
import { gaussianBlur, lerp, shorterSide, viaSharp } from '../pixel-maths.js';

/** Operators that soften or sharpen detail. */
export const FOCUS_OPERATORS = [
  implement(OPERATOR_TABLE.blur, (image, { radius }) => gaussianBlur(image, radius)),
  implement(OPERATOR_TABLE.vignetteBlur, async (image, { radius, focus }) => {
    const blurred = await gaussianBlur(image, radius);
    const { width, height, data } = image;
    const out = new Uint8ClampedArray(data.length);
    const halfDiagonal = Math.hypot(width, height) / 2;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const r = Math.hypot(x + 0.5 - width / 2, y + 0.5 - height / 2) / halfDiagonal;
        const w = Math.min(1, Math.max(0, (r - focus) / 0.25));
        for (let p = (y * width + x) * 3, c = 0; c < 3; c++)
          out[p + c] = lerp(data[p + c]!, blurred.data[p + c]!, w);
      }
    }
    return { data: new Uint8Array(out.buffer), width, height };
  }),
  implement(OPERATOR_TABLE.sharpen, (image, { amount, radius }) =>
    viaSharp(image, (s) =>
      s.sharpen({ sigma: Math.max(0.01, radius * shorterSide(image)), m1: amount, m2: 2 * amount }),
    ),
  ),
];
