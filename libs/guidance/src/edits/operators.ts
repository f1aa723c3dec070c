import sharp, { type Sharp } from 'sharp';
import { DEFAULT_IMAGE_LIMITS, type ImageLimits } from '#clip';
import { colourDistance, luma, parseColour, type Rgb } from './colours.js';
import { decodeImage, encodeImage, type EncodedImage, type RgbImage } from './image-io.js';

/*
 * Parameterised edits on packed 8-bit RGB. Every operator is deterministic and returns new pixels. Spatial
 * settings are fractions of the shorter side, so a chain found on a small working copy means the same at
 * full resolution.
 */

export interface NumberParam {
  kind: 'number';
  name: string;
  min: number;
  max: number;
  default: number;
  /** The value that changes the image least: where a search's grid starts from. */
  neutral: number;
  /** Searched and refined on a log scale (factors, radii). */
  log?: boolean;
  integer?: boolean;
  /** False for settings a search leaves at their default (a mask's width, a seed). */
  tuned?: boolean;
  description: string;
}

export interface ColourParam {
  kind: 'colour';
  name: string;
  /** Where a search takes it from: the colour the instruction names, or one of the image's own colours. */
  role: 'target' | 'source';
  description: string;
}

export type ParamSpec = NumberParam | ColourParam;

/** Numbers, or colours as a name (`green`) or hex (`#23a037`). */
export type ParamValue = number | string;

/** One step of an edit chain; a chain replays exactly through applyOperations. */
export interface Operation {
  name: string;
  params: Readonly<Record<string, ParamValue>>;
}

export interface EditOperator {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  apply(image: RgbImage, values: Readonly<Record<string, number | Rgb>>): RgbImage | Promise<RgbImage>;
}

/** A chain or parameter that cannot be applied; the message names the operator and the parameter. */
export class EditOperationError extends RangeError {
  override readonly name = 'EditOperationError';
}

/** Longest chain applyOperations accepts. */
export const MAX_OPERATIONS = 16;

type Values<P extends readonly ParamSpec[]> = {
  [S in P[number] as S['name']]: S extends ColourParam ? Rgb : number;
};

/** Ties an operator's apply to its declared parameters, so a typo in a name fails to compile. */
function define<const P extends readonly ParamSpec[]>(op: {
  name: string;
  description: string;
  params: P;
  apply(image: RgbImage, values: Values<P>): RgbImage | Promise<RgbImage>;
}): EditOperator {
  return op as unknown as EditOperator;
}

const amount = (description: string, defaultAmount = 1) =>
  ({
    kind: 'number',
    name: 'amount',
    min: 0,
    max: 1,
    default: defaultAmount,
    neutral: 0,
    description,
  }) as const;

const factor = <const N extends string>(name: N, description: string) =>
  ({ kind: 'number', name, min: 0.25, max: 4, default: 1, neutral: 1, log: true, description }) as const;

const radius = (description: string) =>
  ({
    kind: 'number',
    name: 'radius',
    min: 0.002,
    max: 0.06,
    default: 0.02,
    neutral: 0.002,
    log: true,
    description,
  }) as const;

/** Per-pixel map; Uint8ClampedArray rounds and clamps each result. */
function mapPixels(image: RgbImage, f: (r: number, g: number, b: number, out: number[]) => void): RgbImage {
  const { data, width, height } = image;
  const out = new Uint8ClampedArray(data.length);
  const px = [0, 0, 0];
  for (let p = 0; p < data.length; p += 3) {
    f(data[p]!, data[p + 1]!, data[p + 2]!, px);
    out[p] = px[0]!;
    out[p + 1] = px[1]!;
    out[p + 2] = px[2]!;
  }
  return { data: new Uint8Array(out.buffer), width, height };
}

/** The same curve on every channel, through a 256-entry table. */
function mapLevels(image: RgbImage, curve: (v: number) => number): RgbImage {
  const table = new Uint8ClampedArray(256);
  for (let v = 0; v < 256; v++) table[v] = curve(v);
  return { ...image, data: image.data.map((v) => table[v]!) };
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

function shorterSide(image: RgbImage): number {
  return Math.min(image.width, image.height);
}

/** Hue in degrees, [0, 360), of a colour whose largest channel is `max` and chroma (max − min) is > 0. */
function hueOf(r: number, g: number, b: number, max: number, chroma: number): number {
  const sector =
    max === r ? ((g - b) / chroma + 6) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  return sector * 60;
}

/** The colour with hue `h` (degrees), chroma `chroma` and smallest channel `m`. */
function fromHue(h: number, chroma: number, m: number, out: number[]): void {
  const hue = ((h % 360) + 360) % 360;
  const x = chroma * (1 - Math.abs(((hue / 60) % 2) - 1));
  const [dr, dg, db] =
    hue < 60
      ? [chroma, x, 0]
      : hue < 120
        ? [x, chroma, 0]
        : hue < 180
          ? [0, chroma, x]
          : hue < 240
            ? [0, x, chroma]
            : hue < 300
              ? [x, 0, chroma]
              : [chroma, 0, x];
  out[0] = dr + m;
  out[1] = dg + m;
  out[2] = db + m;
}

const SEPIA = [
  [0.393, 0.769, 0.189],
  [0.349, 0.686, 0.168],
  [0.272, 0.534, 0.131],
] as const;

async function gaussianBlur(image: RgbImage, relativeSigma: number): Promise<RgbImage> {
  const sigma = relativeSigma * shorterSide(image);
  if (sigma < 0.3) return image; // below what sharp accepts, and below a visible blur
  return viaSharp(image, (s) => s.blur(sigma));
}

async function viaSharp(image: RgbImage, op: (s: Sharp) => Sharp): Promise<RgbImage> {
  const { width, height } = image;
  const data = await op(sharp(image.data, { raw: { width, height, channels: 3 } }))
    .removeAlpha()
    .raw()
    .toBuffer();
  return { data, width, height };
}

/**
 * How much of each pixel is the colour `from`: 1 within `tolerance` of it, fading to 0 at twice that.
 * An anti-aliased pixel beside a pixel of `from` is unmixed: if it lies near the line from `from` to its
 * farthest neighbour, its share is its position on that line, so an object's edge moves with the object
 * instead of keeping a fringe of the old colour.
 */
function shareOf(image: RgbImage, from: Rgb, tolerance: number): Float32Array {
  const { data, width, height } = image;
  const at = (i: number): Rgb => [data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!];
  const near = new Float32Array(width * height);
  for (let i = 0; i < near.length; i++) {
    near[i] = Math.min(1, Math.max(0, (2 * tolerance - colourDistance(at(i), from)) / tolerance));
  }
  const share = Float32Array.from(near);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (near[i] === 1) continue;
      let touches = false;
      let far = -1;
      let farDistance = -1;
      for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
        for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
          const j = ny * width + nx;
          touches ||= near[j] === 1;
          const d = colourDistance(at(j), from);
          if (d > farDistance) [far, farDistance] = [j, d];
        }
      }
      if (!touches || farDistance <= 2 * tolerance) continue;
      const [p, q] = [at(i), at(far)];
      const v = [from[0] - q[0], from[1] - q[1], from[2] - q[2]];
      const t = ((p[0] - q[0]) * v[0]! + (p[1] - q[1]) * v[1]! + (p[2] - q[2]) * v[2]!) / farDistance ** 2;
      const mix = Math.min(1, Math.max(0, t));
      const onLine: Rgb = [q[0] + mix * v[0]!, q[1] + mix * v[1]!, q[2] + mix * v[2]!];
      if (colourDistance(p, onLine) <= tolerance / 2) share[i] = Math.max(near[i]!, mix);
    }
  }
  return share;
}

/** A 32-bit integer hash of a few integers (murmur3's finaliser over a running mix). */
function hash(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ v, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export const OPERATORS: readonly EditOperator[] = [
  define({
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
    apply: (image, { degrees }) =>
      mapPixels(image, (r, g, b, out) => {
        const max = Math.max(r, g, b);
        const chroma = max - Math.min(r, g, b);
        if (chroma === 0) [out[0], out[1], out[2]] = [r, g, b];
        else fromHue(hueOf(r, g, b, max, chroma) + degrees, chroma, max - chroma, out);
      }),
  }),
  define({
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
    apply: (image, { from, to, amount, tolerance }) => {
      const share = shareOf(image, from, tolerance);
      const { data, width, height } = image;
      const out = new Uint8ClampedArray(data.length);
      for (let i = 0; i < share.length; i++) {
        for (let c = 0; c < 3; c++)
          out[i * 3 + c] = data[i * 3 + c]! + amount * share[i]! * (to[c]! - from[c]!);
      }
      return { data: new Uint8Array(out.buffer), width, height };
    },
  }),
  define({
    name: 'tint',
    description: 'colourises the whole image: the colour’s hue and saturation, each pixel’s own lightness',
    params: [
      { kind: 'colour', name: 'to', role: 'target', description: 'the tint colour' },
      amount('0 leaves the image, 1 is fully tinted', 0.5),
    ],
    apply: (image, { to, amount }) => {
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
    },
  }),
  define({
    name: 'saturation',
    description: 'scales each pixel’s distance from its grey: 0 is grey, above 1 more vivid',
    params: [
      { kind: 'number', name: 'factor', min: 0, max: 4, default: 1, neutral: 1, description: 'the scale' },
    ],
    apply: (image, { factor }) =>
      mapPixels(image, (r, g, b, out) => {
        const y = luma(r, g, b);
        out[0] = y + factor * (r - y);
        out[1] = y + factor * (g - y);
        out[2] = y + factor * (b - y);
      }),
  }),
  define({
    name: 'brightness',
    description: 'multiplies every channel',
    params: [factor('factor', 'below 1 darker, above 1 brighter')],
    apply: (image, { factor }) => mapLevels(image, (v) => v * factor),
  }),
  define({
    name: 'contrast',
    description: 'stretches levels away from (or toward) mid-grey',
    params: [factor('factor', 'below 1 flatter, above 1 more contrast')],
    apply: (image, { factor }) => mapLevels(image, (v) => (v - 127.5) * factor + 127.5),
  }),
  define({
    name: 'gamma',
    description: 'a power curve: lifts or deepens mid-tones, keeping black and white',
    params: [factor('gamma', 'above 1 lighter mid-tones, below 1 darker')],
    apply: (image, { gamma }) => mapLevels(image, (v) => 255 * (v / 255) ** (1 / gamma)),
  }),
  define({
    name: 'grayscale',
    description: 'blends toward Rec. 601 grey',
    params: [amount('1 removes all colour')],
    apply: (image, { amount }) =>
      mapPixels(image, (r, g, b, out) => {
        const y = luma(r, g, b);
        out[0] = lerp(r, y, amount);
        out[1] = lerp(g, y, amount);
        out[2] = lerp(b, y, amount);
      }),
  }),
  define({
    name: 'sepia',
    description: 'blends toward the classic sepia tone matrix',
    params: [amount('1 is full sepia')],
    apply: (image, { amount }) =>
      mapPixels(image, (r, g, b, out) => {
        const tone = (row: readonly number[]): number => row[0]! * r + row[1]! * g + row[2]! * b;
        out[0] = lerp(r, tone(SEPIA[0]), amount);
        out[1] = lerp(g, tone(SEPIA[1]), amount);
        out[2] = lerp(b, tone(SEPIA[2]), amount);
      }),
  }),
  define({
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
    apply: (image, { amount }) =>
      mapPixels(image, (r, g, b, out) => {
        out[0] = r + 64 * amount;
        out[1] = g;
        out[2] = b - 64 * amount;
      }),
  }),
  define({
    name: 'blur',
    description: 'Gaussian blur',
    params: [radius('sigma as a fraction of the shorter side')],
    apply: (image, { radius }) => gaussianBlur(image, radius),
  }),
  define({
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
    apply: async (image, { radius, focus }) => {
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
    },
  }),
  define({
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
    apply: (image, { amount, radius }) =>
      viaSharp(image, (s) =>
        s.sharpen({ sigma: Math.max(0.01, radius * shorterSide(image)), m1: amount, m2: 2 * amount }),
      ),
  }),
  define({
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
    apply: (image, { blocks }) => {
      const { data, width, height } = image;
      const block = Math.max(1, Math.round(shorterSide(image) / blocks));
      const out = new Uint8ClampedArray(data.length);
      for (let by = 0; by < height; by += block) {
        for (let bx = 0; bx < width; bx += block) {
          const [x1, y1] = [Math.min(width, bx + block), Math.min(height, by + block)];
          const sum = [0, 0, 0];
          for (let y = by; y < y1; y++)
            for (let x = bx; x < x1; x++)
              for (let c = 0; c < 3; c++) sum[c]! += data[(y * width + x) * 3 + c]!;
          const n = (x1 - bx) * (y1 - by);
          for (let y = by; y < y1; y++)
            for (let x = bx; x < x1; x++)
              for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = sum[c]! / n;
        }
      }
      return { data: new Uint8Array(out.buffer), width, height };
    },
  }),
  define({
    name: 'invert',
    description: 'blends toward the negative; amount 1 twice is the identity',
    params: [amount('1 is the full negative')],
    apply: (image, { amount }) => mapLevels(image, (v) => v + amount * (255 - 2 * v)),
  }),
  define({
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
    apply: (image, { levels }) =>
      mapLevels(image, (v) => (Math.round((v / 255) * (levels - 1)) * 255) / (levels - 1)),
  }),
  define({
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
    apply: (image, { amount, seed }) => {
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
    },
  }),
];

const BY_NAME: ReadonlyMap<string, EditOperator> = new Map(OPERATORS.map((op) => [op.name, op]));

export function findOperator(name: string): EditOperator {
  const op = BY_NAME.get(name);
  if (!op) {
    throw new EditOperationError(`unknown operator "${name}"; known: ${[...BY_NAME.keys()].join(', ')}`);
  }
  return op;
}

interface Resolved {
  operator: EditOperator;
  values: Record<string, number | Rgb>;
}

/** Checks one operation against its operator's declared parameters; omitted numbers take their default. */
function resolve(operation: Operation): Resolved {
  if (typeof operation !== 'object' || operation === null || typeof operation.name !== 'string') {
    throw new EditOperationError('an operation is { name, params }');
  }
  const operator = findOperator(operation.name);
  const given = operation.params ?? {};
  if (typeof given !== 'object') throw new EditOperationError(`${operator.name}.params must be an object`);
  for (const key of Object.keys(given)) {
    if (!operator.params.some((p) => p.name === key)) {
      const known = operator.params.map((p) => p.name).join(', ');
      throw new EditOperationError(`${operator.name} has no parameter "${key}"; its parameters: ${known}`);
    }
  }
  const values: Record<string, number | Rgb> = {};
  for (const spec of operator.params) {
    const where = `${operator.name}.${spec.name}`;
    const value = given[spec.name];
    if (spec.kind === 'colour') {
      if (value === undefined) throw new EditOperationError(`${where} is required (a colour)`);
      const rgb = typeof value === 'string' ? parseColour(value) : null;
      if (!rgb) {
        throw new EditOperationError(
          `${where} must be a colour name (red, green, …) or #rrggbb, got ${show(value)}`,
        );
      }
      values[spec.name] = rgb;
      continue;
    }
    const number = value ?? spec.default;
    if (typeof number !== 'number' || !Number.isFinite(number)) {
      throw new EditOperationError(`${where} must be a finite number, got ${show(value)}`);
    }
    if (number < spec.min || number > spec.max) {
      throw new EditOperationError(`${where} must be between ${spec.min} and ${spec.max}, got ${number}`);
    }
    if (spec.integer && !Number.isInteger(number)) {
      throw new EditOperationError(`${where} must be a whole number, got ${number}`);
    }
    values[spec.name] = number;
  }
  return { operator, values };
}

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

function resolveChain(operations: readonly Operation[]): Resolved[] {
  if (!Array.isArray(operations)) throw new EditOperationError('operations must be an array');
  if (operations.length > MAX_OPERATIONS) {
    throw new EditOperationError(`at most ${MAX_OPERATIONS} operations, got ${operations.length}`);
  }
  return operations.map(resolve);
}

/** Validates a chain without applying it: throws EditOperationError naming the first bad step. */
export function validateOperations(operations: readonly Operation[]): void {
  resolveChain(operations);
}

/** Applies a validated chain to packed RGB, in order. */
export async function applyToPixels(image: RgbImage, operations: readonly Operation[]): Promise<RgbImage> {
  let current = image;
  for (const { operator, values } of resolveChain(operations))
    current = await operator.apply(current, values);
  return current;
}

/**
 * Replays an edit chain on an encoded image: same bytes in, same bytes out. The result keeps the input's
 * format where sensible (PNG, JPEG, WebP; PNG otherwise) and its alpha channel.
 */
export async function applyOperations(
  image: Uint8Array,
  operations: readonly Operation[],
  limits: ImageLimits = DEFAULT_IMAGE_LIMITS,
): Promise<EncodedImage> {
  resolveChain(operations);
  const decoded = await decodeImage(image, limits);
  return encodeImage({ ...decoded, rgb: await applyToPixels(decoded.rgb, operations) });
}
