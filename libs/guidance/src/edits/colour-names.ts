import { procedural } from '#generators';
import type { Rgb } from './colours.js';

/**
 * Colour names instructions and operations may use. The procedural palette comes first, with its exact
 * values, so the bundled model's colour words and the pixels an edit paints agree; a few common names follow.
 */
export const NAMED_COLOURS: ReadonlyMap<string, Rgb> = new Map<string, Rgb>([
  ...procedural.COLOURS.map((c): [string, Rgb] => [c, procedural.COLOUR_RGB[c]]),
  ['grey', procedural.COLOUR_RGB.gray],
  ['cyan', [0, 190, 200]],
  ['magenta', [220, 40, 180]],
  ['teal', [0, 128, 128]],
  ['navy', [20, 30, 110]],
  ['violet', [140, 90, 210]],
  ['gold', [220, 175, 40]],
  ['beige', [225, 205, 165]],
  ['silver', [192, 192, 192]],
]);
