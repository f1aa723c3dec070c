import { amount, factor, radius } from './params.js';

/*
 * Every edit operator as data: its name, what it does and its parameters. The pixels each one makes live
 * with its family in operators/; the registry puts the two together.
 */
export const OPERATOR_TABLE = {
  hue: {
    name: 'hue',
    description: 'rotates every hue by some degrees, keeping value and chroma (120° turns red to green)',
    params: [
      {
        kind: 'number',
        name: 'degrees',
        min: -180,
        max: 180,
        default: 0,
        neutral: 0,
        description: 'rotation',
      },
    ],
  },
  recolour: {
    name: 'recolour',
    description:
      'moves the pixels near one colour (an object, a background) to another, keeping their shading; ' +
      'the rest of the image stays as it is',
    params: [
      { kind: 'colour', name: 'from', role: 'source', description: 'the colour to replace' },
      { kind: 'colour', name: 'to', role: 'target', description: 'the colour it becomes' },
      amount('how far the selected pixels move toward the new colour'),
      {
        kind: 'number',
        name: 'tolerance',
        min: 1,
        max: 255,
        default: 40,
        neutral: 40,
        tuned: false,
        description: 'RGB distance from `from` selected fully; the selection fades out over as much again',
      },
    ],
  },
  tint: {
    name: 'tint',
    description: 'colourises the whole image: the colour’s hue and saturation, each pixel’s own lightness',
    params: [
      { kind: 'colour', name: 'to', role: 'target', description: 'the tint colour' },
      amount('0 leaves the image, 1 is fully tinted', 0.5),
    ],
  },
  saturation: {
    name: 'saturation',
    description: 'scales each pixel’s distance from its grey: 0 is grey, above 1 more vivid',
    params: [
      { kind: 'number', name: 'factor', min: 0, max: 4, default: 1, neutral: 1, description: 'the scale' },
    ],
  },
  brightness: {
    name: 'brightness',
    description: 'multiplies every channel',
    params: [factor('factor', 'below 1 darker, above 1 brighter')],
  },
  contrast: {
    name: 'contrast',
    description: 'stretches levels away from (or toward) mid-grey',
    params: [factor('factor', 'below 1 flatter, above 1 more contrast')],
  },
  gamma: {
    name: 'gamma',
    description: 'a power curve: lifts or deepens mid-tones, keeping black and white',
    params: [factor('gamma', 'above 1 lighter mid-tones, below 1 darker')],
  },
  grayscale: {
    name: 'grayscale',
    description: 'blends toward Rec. 601 grey',
    params: [amount('1 removes all colour')],
  },
  sepia: {
    name: 'sepia',
    description: 'blends toward the classic sepia tone matrix',
    params: [amount('1 is full sepia')],
  },
  warmth: {
    name: 'warmth',
    description: 'shifts red up and blue down (or the reverse for a negative amount)',
    params: [
      {
        kind: 'number',
        name: 'amount',
        min: -1,
        max: 1,
        default: 0,
        neutral: 0,
        description: '1 adds 64 levels of red and takes 64 of blue; -1 cools as much',
      },
    ],
  },
  blur: {
    name: 'blur',
    description: 'Gaussian blur',
    params: [radius('sigma as a fraction of the shorter side')],
  },
  vignetteBlur: {
    name: 'vignette-blur',
    description:
      'blurs toward the edges and keeps the centre sharp: a background blur for pictures whose subject is central',
    params: [
      radius('sigma at the edges, as a fraction of the shorter side'),
      {
        kind: 'number',
        name: 'focus',
        min: 0,
        max: 0.9,
        default: 0.35,
        neutral: 0.35,
        tuned: false,
        description: 'radius kept sharp, as a fraction of the half-diagonal',
      },
    ],
  },
  sharpen: {
    name: 'sharpen',
    description: 'unsharp mask on lightness (sharp)',
    params: [
      {
        kind: 'number',
        name: 'amount',
        min: 0.25,
        max: 8,
        default: 1,
        neutral: 0.25,
        log: true,
        description: 'strength in flat areas; jagged areas get twice as much',
      },
      {
        kind: 'number',
        name: 'radius',
        min: 0.001,
        max: 0.05,
        default: 0.005,
        neutral: 0.005,
        log: true,
        tuned: false,
        description: 'sigma as a fraction of the shorter side',
      },
    ],
  },
  pixelate: {
    name: 'pixelate',
    description: 'replaces square blocks by their mean colour',
    params: [
      {
        kind: 'number',
        name: 'blocks',
        min: 4,
        max: 128,
        default: 32,
        neutral: 128,
        log: true,
        integer: true,
        description: 'blocks across the shorter side',
      },
    ],
  },
  invert: {
    name: 'invert',
    description: 'blends toward the negative; amount 1 twice is the identity',
    params: [amount('1 is the full negative')],
  },
  posterize: {
    name: 'posterize',
    description: 'quantises each channel to a few levels',
    params: [
      {
        kind: 'number',
        name: 'levels',
        min: 2,
        max: 64,
        default: 4,
        neutral: 64,
        log: true,
        integer: true,
        description: 'levels per channel',
      },
    ],
  },
  noise: {
    name: 'noise',
    description: 'seeded per-channel grain, its cells a fixed fraction of the shorter side',
    params: [
      amount('1 adds up to ±64 levels', 0.5),
      {
        kind: 'number',
        name: 'seed',
        min: 0,
        max: 2 ** 31 - 1,
        default: 0,
        neutral: 0,
        integer: true,
        tuned: false,
        description: 'the grain pattern',
      },
    ],
  },
} as const;
