import { shareOf } from '../colour-selection.js';
import { luma } from '../colours.js';
import { implement } from '../operator.js';
import { OPERATOR_TABLE } from '../operator-table.js';
import { fromHue, hueOf, lerp, mapPixels } from '../pixel-maths.js';

/** Operators that change colours: rotate hues, move one colour to another, tint, (de)saturate. */
export const COLOUR_OPERATORS = [
  implement(OPERATOR_TABLE.hue, (image, { degrees }) =>
    mapPixels(image, (r, g, b, out) => {
      const max = Math.max(r, g, b);
      const chroma = max - Math.min(r, g, b);
      if (chroma === 0) [out[0], out[1], out[2]] = [r, g, b];
      else fromHue(hueOf(r, g, b, max, chroma) + degrees, chroma, max - chroma, out);
    }),
  ),
  implement(OPERATOR_TABLE.recolour, (image, { from, to, amount, tolerance }) => {
    const share = shareOf(image, from, tolerance);
    const { data, width, height } = image;
    const out = new Uint8ClampedArray(data.length);
    for (let i = 0; i < share.length; i++) {
      for (let c = 0; c < 3; c++)
        out[i * 3 + c] = data[i * 3 + c]! + amount * share[i]! * (to[c]! - from[c]!);
    }
    return { data: new Uint8Array(out.buffer), width, height };
  }),
  implement(OPERATOR_TABLE.tint, (image, { to, amount }) => {
    // The tint's HSL hue and saturation, with each pixel's own HSL lightness.
    const max = Math.max(...to);
    const min = Math.min(...to);
    const hue = max === min ? 0 : hueOf(...to, max, max - min);
    const saturation = max === min ? 0 : (max - min) / (255 - Math.abs(max + min - 255));
    const tinted = [0, 0, 0];
    return mapPixels(image, (r, g, b, out) => {
      const lightness = (Math.max(r, g, b) + Math.min(r, g, b)) / 2;
      const chroma = (255 - Math.abs(2 * lightness - 255)) * saturation;
      fromHue(hue, chroma, lightness - chroma / 2, tinted);
      out[0] = lerp(r, tinted[0]!, amount);
      out[1] = lerp(g, tinted[1]!, amount);
      out[2] = lerp(b, tinted[2]!, amount);
    });
  }),
  implement(OPERATOR_TABLE.saturation, (image, { factor }) =>
    mapPixels(image, (r, g, b, out) => {
      const y = luma(r, g, b);
      out[0] = y + factor * (r - y);
      out[1] = y + factor * (g - y);
      out[2] = y + factor * (b - y);
    }),
  ),
];
