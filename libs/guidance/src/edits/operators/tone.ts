import { implement } from '../operator.js';
import { OPERATOR_TABLE } from '../operator-table.js';
import { mapLevels } from '../pixel-maths.js';

/** Operators that are one curve on every channel's levels. */
export const TONE_OPERATORS = [
  implement(OPERATOR_TABLE.brightness, (image, { factor }) => mapLevels(image, (v) => v * factor)),
  implement(OPERATOR_TABLE.contrast, (image, { factor }) =>
    mapLevels(image, (v) => (v - 127.5) * factor + 127.5),
  ),
  implement(OPERATOR_TABLE.gamma, (image, { gamma }) =>
    mapLevels(image, (v) => 255 * (v / 255) ** (1 / gamma)),
  ),
  implement(OPERATOR_TABLE.invert, (image, { amount }) =>
    mapLevels(image, (v) => v + amount * (255 - 2 * v)),
  ),
  implement(OPERATOR_TABLE.posterize, (image, { levels }) =>
    mapLevels(image, (v) => (Math.round((v / 255) * (levels - 1)) * 255) / (levels - 1)),
  ),
];
