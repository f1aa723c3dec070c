import { GeneratorError } from '../errors.js';
import { Random } from './random.js';
import {
  type Colour,
  COLOUR_RGB,
  COLOURS,
  type Relation,
  RELATIONS,
  type Rgb,
  type Shape,
  SHAPES,
  type Style,
  STYLES,
} from './vocabulary.js';

/** What a prompt asks of one object; a missing attribute is left to chance. */
export interface ObjectRequest {
  colour?: Colour;
  shape?: Shape;
}

/** What a prompt asks for, as parsePrompt reads it. `relation` places objects[0] relative to objects[1]. */
export interface SceneRequest {
  objects: ObjectRequest[];
  background?: Colour;
  style?: Style;
  relation?: Relation;
}

export interface SceneObject {
  colour: Colour;
  /** The colour actually painted: the canonical sRGB of `colour` with a little seeded jitter. */
  rgb: Rgb;
  shape: Shape;
  /**
   * Centre, as fractions of the canvas's central square (side = the shorter edge), so a scene looks the
   * same at any aspect ratio and a centre crop never cuts an object.
   */
  x: number;
  y: number;
  /** Diameter of the circle the shape is inscribed in, as a fraction of the shorter edge. */
  size: number;
  /** Degrees clockwise. */
  rotation: number;
}

/** A complete scene: what was actually drawn, which may differ from what was asked. */
export interface Scene {
  /** The seed it was realised from; the renderer draws its noise from it too. */
  seed: number;
  background: Colour;
  backgroundRgb: Rgb;
  style: Style;
  /** One or two objects (none only in a scene built by hand). */
  objects: SceneObject[];
  /** How objects[0] sits relative to objects[1]; null unless there are two. */
  relation: Relation | null;
}

export interface RealizeOptions {
  seed: number;
  /** Probability that each attribute the request specifies is honoured; default 0.5. */
  fidelity?: number;
}

export const DEFAULT_FIDELITY = 0.5;

/** Free space kept between objects and the edge of the central square. */
const MARGIN = 0.04;
/** How far two related objects may stray from a shared line across the relation's axis. */
const CROSS_JITTER = 0.06;
/** Per-channel colour jitter: small enough that every colour stays nearest its own canonical value. */
const COLOUR_JITTER = 12;
const MAX_ROTATION = 15;

/**
 * Turns a request into a complete scene. Like a real text-to-image model it is not always faithful: each
 * specified attribute is honoured with probability `fidelity`, else replaced by another value (two wrong
 * object colours are swapped half the time: a binding error). Unspecified attributes are random. An object
 * never takes the background's colour; a request that asks for that keeps the background.
 */
export function realizeScene(request: SceneRequest, options: RealizeOptions): Scene {
  const fidelity = options.fidelity ?? DEFAULT_FIDELITY;
  if (!(fidelity >= 0 && fidelity <= 1))
    throw new GeneratorError('BAD_REQUEST', `fidelity must be in [0, 1], got ${fidelity}`);
  const rng = new Random(options.seed);
  const count = Math.min(2, Math.max(request.objects.length, request.relation ? 2 : 1));
  const wanted = Array.from({ length: count }, (_, i) => request.objects[i] ?? {});

  const choose = <T>(want: T | undefined, values: readonly T[], exclude: readonly T[] = []): T => {
    const allowed = values.filter((v) => !exclude.includes(v));
    if (want === undefined) return rng.pick(allowed);
    if (allowed.includes(want) && rng.chance(fidelity)) return want;
    return rng.pick(allowed.filter((v) => v !== want));
  };

  const requestedBackground = request.background ? [request.background] : [];
  const colours = wanted.map((w) => choose(w.colour, COLOURS, requestedBackground));
  const [first, second] = wanted;
  if (
    first?.colour &&
    second?.colour &&
    first.colour !== second.colour &&
    colours[0] !== first.colour &&
    colours[1] !== second.colour &&
    !requestedBackground.includes(first.colour) &&
    !requestedBackground.includes(second.colour) &&
    rng.chance(0.5)
  ) {
    colours.splice(0, 2, second.colour, first.colour);
  }
  const background = choose(request.background, COLOURS, colours);
  const shapes = wanted.map((w) => choose(w.shape, SHAPES));
  const style = choose(request.style, STYLES);
  const relation = count === 2 ? choose(request.relation, RELATIONS) : null;

  const layout = relation ? placePair(rng, relation) : [placeSingle(rng)];
  const objects = layout.map((place, i): SceneObject => ({
    colour: colours[i]!,
    rgb: jitter(rng, COLOUR_RGB[colours[i]!]),
    shape: shapes[i]!,
    ...place,
    rotation: round(rng.range(-MAX_ROTATION, MAX_ROTATION), 1),
  }));
  return {
    seed: options.seed,
    background,
    backgroundRgb: jitter(rng, COLOUR_RGB[background]),
    style,
    objects,
    relation,
  };
}

interface Placement {
  x: number;
  y: number;
  size: number;
}

function placeSingle(rng: Random): Placement {
  const size = rng.range(0.4, 0.7);
  const lo = size / 2 + MARGIN;
  return { x: round(rng.range(lo, 1 - lo), 4), y: round(rng.range(lo, 1 - lo), 4), size: round(size, 4) };
}

/**
 * Places two objects so the relation holds with room to spare: along its axis their circumscribed circles
 * are at least a gap apart, and across it they differ by less than along it.
 */
function placePair(rng: Random, relation: Relation): [Placement, Placement] {
  const sizes = [round(rng.range(0.24, 0.38), 4), round(rng.range(0.24, 0.38), 4)] as const;
  const [r0, r1] = [sizes[0] / 2, sizes[1] / 2];
  const gap = rng.range(0.04, 0.12);
  // The first object comes first along the axis for "left of" and "above" (y grows downwards).
  const firstLeads = relation === 'left of' || relation === 'above';
  const [rLead, rTrail] = firstLeads ? [r0, r1] : [r1, r0];
  const lead = rng.range(MARGIN + rLead, 1 - MARGIN - rTrail - (rLead + gap + rTrail));
  const trail = lead + rLead + gap + rTrail;
  const along = firstLeads ? [lead, trail] : [trail, lead];
  const spread = Math.max(r0, r1) + MARGIN + CROSS_JITTER;
  const line = rng.range(spread, 1 - spread);
  const across = [
    line + rng.range(-CROSS_JITTER, CROSS_JITTER),
    line + rng.range(-CROSS_JITTER, CROSS_JITTER),
  ];
  const horizontal = relation === 'left of' || relation === 'right of';
  const place = (i: 0 | 1): Placement => ({
    x: round(horizontal ? along[i]! : across[i]!, 4),
    y: round(horizontal ? across[i]! : along[i]!, 4),
    size: sizes[i],
  });
  return [place(0), place(1)];
}

function jitter(rng: Random, rgb: Rgb): Rgb {
  const channel = (v: number): number =>
    Math.min(255, Math.max(0, v + rng.int(-COLOUR_JITTER, COLOUR_JITTER)));
  return [channel(rgb[0]), channel(rgb[1]), channel(rgb[2])];
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
