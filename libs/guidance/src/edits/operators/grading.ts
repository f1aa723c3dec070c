import { luma } from '../colours.js';
import { implement } from '../operator.js';
import { OPERATOR_TABLE } from '../operator-table.js';
import { lerp, mapPixels } from '../pixel-maths.js';

const SEPIA = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
] as const;

/** Whole-picture colour grades: grey, sepia, warmer or cooler. */
export const GRADING_OPERATORS = [
  implement(OPERATOR_TABLE.grayscale, (image, { amount }) =>
    mapPixels(image, (r, g, b, out) => {
      const y = luma(r, g, b);
      out[0] = lerp(r, y, amount);
      out[1] = lerp(g, y, amount);
      out[2] = lerp(b, y, amount);
    }),
  ),
  implement(OPERATOR_TABLE.sepia, (image, { amount }) =>
    mapPixels(image, (r, g, b, out) => {
      const tone = (row: readonly number[]): number => row[0]! * r + row[1]! * g + row[2]! * b;
      out[0] = lerp(r, tone(SEPIA[0]), amount);
      out[1] = lerp(g, tone(SEPIA[1]), amount);
      out[2] = lerp(b, tone(SEPIA[2]), amount);
    }),
  ),
  implement(OPERATOR_TABLE.warmth, (image, { amount }) =>
    mapPixels(image, (r, g, b, out) => {
      out[0] = r + 64 * amount;
      out[1] = g;
      out[2] = b - 64 * amount;
    }),
  ),
];
