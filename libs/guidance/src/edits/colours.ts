import { NAMED_COLOURS } from './colour-names.js';

export type Rgb = readonly [number, number, number];

/** A colour name (`green`, `grey`) or hex (`#2a9`, `#22aa99`), or null if it is neither. */
export function parseColour(value: string): Rgb | null {
  const text = value.trim().toLowerCase();
  const named = NAMED_COLOURS.get(text);
  if (named) return named;
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/.exec(text)?.[1];
  if (!hex) return null;
  const full = hex.length === 3 ? [...hex].map((d) => d + d).join('') : hex;
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

export function toHex(rgb: Rgb): string {
  return '#' + rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
}

/** Rec. 601 luma, the weights of the procedural grayscale style. */
export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
