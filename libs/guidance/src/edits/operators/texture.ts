import { implement } from '../operator.js';
import { OPERATOR_TABLE } from '../operator-table.js';
import { hash, shorterSide } from '../pixel-maths.js';

/** Operators that replace fine detail with blocks or grain. */
export const TEXTURE_OPERATORS = [
  implement(OPERATOR_TABLE.pixelate, (image, { blocks }) => {
    const { data, width, height } = image;
    const block = Math.max(1, Math.round(shorterSide(image) / blocks));
    const out = new Uint8ClampedArray(data.length);
    for (let by = 0; by < height; by += block) {
      for (let bx = 0; bx < width; bx += block) {
        const [x1, y1] = [Math.min(width, bx + block), Math.min(height, by + block)];
        const sum = [0, 0, 0];
        for (let y = by; y < y1; y++)
          for (let x = bx; x < x1; x++) for (let c = 0; c < 3; c++) sum[c]! += data[(y * width + x) * 3 + c]!;
        const n = (x1 - bx) * (y1 - by);
        for (let y = by; y < y1; y++)
          for (let x = bx; x < x1; x++)
            for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = sum[c]! / n;
      }
    }
    return { data: new Uint8Array(out.buffer), width, height };
  }),
  implement(OPERATOR_TABLE.noise, (image, { amount, seed }) => {
    const { data, width, height } = image;
    const cell = Math.max(1, Math.round(shorterSide(image) / 128));
    const out = new Uint8ClampedArray(data.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const [cx, cy] = [Math.floor(x / cell), Math.floor(y / cell)];
        for (let p = (y * width + x) * 3, c = 0; c < 3; c++) {
          const n = (hash(seed, cx, cy, c) / 2 ** 32) * 2 - 1;
          out[p + c] = data[p + c]! + 64 * amount * n;
        }
      }
    }
    return { data: new Uint8Array(out.buffer), width, height };
  }),
];
