/**
 * The closed vocabulary of procedural scenes: what the renderer can draw, the captions say and the parser
 * understands. Kept small on purpose: the CLIP model trained on these scenes learns exactly these words.
 */

export type Rgb = readonly [number, number, number];

export const COLOURS = [
  'red',
  'green',
  'blue',
  'yellow',
  'orange',
  'purple',
  'pink',
  'brown',
  'black',
  'white',
  'gray',
] as const;
export type Colour = (typeof COLOURS)[number];

/** Canonical sRGB of each colour, chosen far enough apart that jitter and JPEG never blur two together. */
export const COLOUR_RGB: Readonly<Record<Colour, Rgb>> = {
  red: [215, 35, 35],
  green: [35, 160, 55],
  blue: [35, 80, 220],
  yellow: [245, 215, 35],
  orange: [245, 135, 20],
  purple: [130, 50, 170],
  pink: [245, 135, 195],
  brown: [125, 75, 35],
  black: [20, 20, 20],
  white: [245, 245, 245],
  gray: [128, 128, 128],
};

export const SHAPES = [
  'circle',
  'square',
  'triangle',
  'star',
  'hexagon',
  'diamond',
  'cross',
  'heart',
] as const;
export type Shape = (typeof SHAPES)[number];

/** striped, dotted and outlined change how objects are painted; the rest filter the whole image. */
export const STYLES = [
  'plain',
  'striped',
  'dotted',
  'outlined',
  'blurred',
  'noisy',
  'grayscale',
  'sepia',
  'pixelated',
] as const;
export type Style = (typeof STYLES)[number];

/** How the first of two objects sits relative to the second. */
export const RELATIONS = ['left of', 'right of', 'above', 'below'] as const;
export type Relation = (typeof RELATIONS)[number];

export const INVERSE_RELATION: Readonly<Record<Relation, Relation>> = {
  'left of': 'right of',
  'right of': 'left of',
  above: 'below',
  below: 'above',
};

/**
 * Combinations the training split never shows, so a model's zero-shot accuracy on them measures
 * composition rather than memory. Each colour, shape and background still appears in training, only never
 * in these pairs.
 */
export const HELD_OUT: {
  readonly colourShape: readonly (readonly [Colour, Shape])[];
  /** [object colour, background colour]. */
  readonly colourBackground: readonly (readonly [Colour, Colour])[];
} = {
  colourShape: [
    ['red', 'star'],
    ['green', 'heart'],
    ['blue', 'triangle'],
    ['yellow', 'cross'],
    ['orange', 'hexagon'],
    ['purple', 'circle'],
    ['pink', 'square'],
    ['brown', 'diamond'],
  ],
  colourBackground: [
    ['red', 'green'],
    ['blue', 'yellow'],
    ['yellow', 'purple'],
    ['white', 'red'],
    ['black', 'orange'],
    ['gray', 'pink'],
    ['pink', 'blue'],
    ['green', 'white'],
  ],
};

/** The parts of a scene the held-out set is about; a realised Scene satisfies it. */
export interface HeldOutSubject {
  background: Colour;
  objects: readonly { colour: Colour; shape: Shape }[];
}

/** Whether any object of the scene forms a held-out colour–shape or colour–background pair. */
export function isHeldOut(scene: HeldOutSubject): boolean {
  return scene.objects.some(
    (o) =>
      HELD_OUT.colourShape.some(([c, s]) => c === o.colour && s === o.shape) ||
      HELD_OUT.colourBackground.some(([c, b]) => c === o.colour && b === scene.background),
  );
}
