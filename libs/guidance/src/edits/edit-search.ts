import { createHash } from 'node:crypto';
import { DEFAULT_IMAGE_LIMITS, dot, type ImageLimits, mimeTypeOf } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { colourDistance, parseColour, toHex } from './colours.js';
import {
  type EditCriteria,
  type EditScores,
  embedDirection,
  isAccepted,
  isEligible,
  keepsImage,
  pickBest,
  rankEdits,
  resolveCriteria,
  scoreEdit,
  type TextDirection,
} from './edit-scores.js';
import { decodeImage, downscale, encodeImage, type EncodedImage, type RgbImage } from './image-io.js';
import { parseInstruction, type TextOverrides } from './instruction.js';
import {
  applyToPixels,
  type EditOperator,
  findOperator,
  type NumberParam,
  type Operation,
  OPERATORS,
  type ParamValue,
} from './operators.js';
import { dominantColours } from './palette.js';

export interface EditOptions extends Partial<EditCriteria>, TextOverrides {
  /** Most CLIP image evaluations, the original and the final check included (default 48). */
  budget?: number;
  /** Shorter side of the copy the search edits (default 224); the chosen chain is then applied at full size. */
  workingSize?: number;
  /** Operators the search may use (default all). */
  operators?: readonly string[] | undefined;
  /** Whether to try the two best operators one after the other (default true). */
  compose?: boolean;
  imageLimits?: ImageLimits;
}

export const EDIT_DEFAULTS = { budget: 48, workingSize: 224 } as const;

export type EditStage = 'coarse' | 'refine' | 'compose' | 'final';

export interface EditStep extends EditScores {
  stage: EditStage;
  operations: Operation[];
  /** Preservation at or above the floor: eligible to be chosen. */
  keepsImage: boolean;
  /** False when the same pixels had been scored before, so no evaluation was spent on it. */
  evaluated: boolean;
}

export interface EditResult extends EncodedImage, EditScores {
  /** The chain that made `bytes` from the input (replay it with applyOperations); empty: no edit was eligible. */
  operations: Operation[];
  /** directionalSimilarity ≥ acceptThreshold and preservation ≥ preservationFloor, measured on `bytes`. */
  accepted: boolean;
  sourceText: string;
  targetText: string;
  /** The instruction rule that matched. */
  rule: string;
  steps: EditStep[];
  /** CLIP image evaluations spent; never more than the budget. */
  evaluations: number;
  budget: number;
}

/** Grid positions, as fractions of the way from an operator's neutral setting to each end of its range. */
const LEVELS = [1, 0.5, 0.25, 0.75];
/** Share of the candidates' evaluations the coarse grid may take; refinement gets the rest. */
const COARSE_SHARE = 0.55;
/** Evaluations kept for the composition of the two best operators. */
const COMPOSE_EVALUATIONS = 2;
/** Candidates refined, each from a different operator or colour. */
const REFINED_SEEDS = 3;
/** First and smallest refinement steps, as fractions of a parameter's (log) range. */
const FIRST_STEP = 0.125;
const LAST_STEP = 1 / 64;
/** Image colours this close to the asked colour are not worth recolouring. */
const SAME_COLOUR = 40;
/**
 * Target similarities this close are below what CLIP resolves: to the scene models measured, 80 % and
 * 100 % grey are equally "grayscale". Between such settings of one operator the stronger wins (goFurther).
 */
const INDISTINGUISHABLE = 0.05;

/** One operator with its colours fixed and each tuned setting as a position in [0, 1] along its range. */
interface Setting {
  operator: EditOperator;
  colours: Readonly<Record<string, string>>;
  at: Readonly<Record<string, number>>;
}

interface Scored {
  settings: Setting[];
  operations: Operation[];
  scores: EditScores;
}

const scoresOf = (s: Scored): EditScores => s.scores;

/** How candidates compare: the edit criteria, chains of the operators the instruction names first. */
interface Judge {
  criteria: EditCriteria;
  preferred: (s: Scored) => boolean;
}

const rank = (items: readonly Scored[], judge: Judge): Scored[] =>
  rankEdits(items, scoresOf, judge.criteria, judge.preferred);

/**
 * Finds the edit that best moves `image` toward `instruction` while keeping it the same picture. The
 * instruction becomes a source and a target text; candidate edits (operators with their settings) are made
 * on a working copy and scored by CLIP directional similarity under a preservation floor, edits by the
 * operators the instruction names first (any operator when none of theirs is eligible), near-ties going to
 * the edit nearest the target text. The search: a coarse grid over every allowed operator (those the
 * instruction names first), pattern search with shrinking steps around the best few, then the best two
 * operators chained. The winner is applied at full resolution and checked once more; if there it falls
 * under the floor (or stops moving toward the text), the next best is tried, and if none is left the image
 * comes back unedited with no operations. Edits that miss the accept threshold are returned with
 * `accepted: false`. Never spends more than `budget` image evaluations.
 */
export async function editImage(
  clip: ClipPort,
  image: Uint8Array,
  instruction: string,
  options: EditOptions = {},
): Promise<EditResult> {
  const budget = options.budget ?? EDIT_DEFAULTS.budget;
  const workingSize = options.workingSize ?? EDIT_DEFAULTS.workingSize;
  if (!Number.isInteger(workingSize) || workingSize < 16) {
    throw new RangeError('workingSize must be a whole number of pixels, at least 16');
  }
  const criteria = resolveCriteria(options);
  const allowed = (options.operators ?? OPERATORS.map((op) => op.name)).map(findOperator);
  if (allowed.length === 0) throw new RangeError('operators must allow at least one operator');
  const parsed = parseInstruction(instruction, options);

  const decoded = await decodeImage(image, options.imageLimits ?? DEFAULT_IMAGE_LIMITS);
  const working = await downscale(decoded.rgb, workingSize);
  const downscaled = working !== decoded.rgb;
  // The working original, the full-size original when it differs, and at least one final check.
  const reserved = downscaled ? 3 : 2;
  if (!Number.isInteger(budget) || budget < reserved + 1) {
    throw new RangeError(`budget must be a whole number of at least ${reserved + 1} for this image`);
  }

  const [texts, originals] = await Promise.all([
    embedDirection(clip, parsed.sourceText, parsed.targetText),
    clip.embedImages(downscaled ? [{ rgb: working }, { rgb: decoded.rgb }] : [{ rgb: working }]),
  ]);
  const scorer = new Scorer(clip, working, originals[0]!, texts, criteria, originals.length);
  const fullOriginal = originals.at(-1)!;

  const suggested = new Set(parsed.operators);
  const judge: Judge = {
    criteria,
    preferred: (s) => s.settings.every((setting) => suggested.has(setting.operator.name)),
  };
  const candidates = budget - reserved;
  const singles = await scorer.run(
    coarseGrid(allowed, parsed.operators, parsed.colour, working),
    'coarse',
    scorer.evaluations + Math.max(1, Math.floor(candidates * COARSE_SHARE)),
  );
  const compose = options.compose ?? true;
  const refineUpTo = budget - 1 - (compose ? COMPOSE_EVALUATIONS : 0);
  singles.push(...(await refine(scorer, singles, judge, refineUpTo)));
  const composed = compose ? await chainBestTwo(scorer, singles, judge, budget - 1) : [];

  const result = (encoded: EncodedImage, operations: Operation[], scores: EditScores): EditResult => ({
    ...encoded,
    ...scores,
    operations,
    accepted: operations.length > 0 && isAccepted(scores, criteria),
    sourceText: parsed.sourceText,
    targetText: parsed.targetText,
    rule: parsed.rule,
    steps: scorer.steps,
    evaluations: scorer.evaluations,
    budget,
  });

  const checked = new Set<string>();
  for (const choice of goFurther(rank([...singles, ...composed], judge), judge)) {
    if (!isEligible(choice.scores, criteria) || scorer.evaluations >= budget) break;
    const chain = JSON.stringify(choice.operations);
    if (checked.has(chain)) continue;
    checked.add(chain);
    const encoded = await encodeImage({
      ...decoded,
      rgb: await applyToPixels(decoded.rgb, choice.operations),
    });
    const scores = await scorer.check(encoded.bytes, fullOriginal, choice.operations);
    if (isEligible(scores, criteria)) return result(encoded, choice.operations, scores);
  }
  const info = { width: decoded.rgb.width, height: decoded.rgb.height };
  const unchanged = {
    directionalSimilarity: 0,
    preservation: 1,
    targetSimilarity: dot(fullOriginal, texts.target),
  };
  return result({ bytes: image, mimeType: mimeTypeOf(decoded.format), ...info }, [], unchanged);
}

/** Applies candidate chains to the working copy and scores them, spending one evaluation per new picture. */
class Scorer {
  readonly steps: EditStep[] = [];
  private readonly seen = new Map<string, Float32Array>();
  private readonly originalKey: string;

  constructor(
    private readonly clip: ClipPort,
    private readonly working: RgbImage,
    private readonly original: Float32Array,
    private readonly texts: TextDirection,
    private readonly criteria: EditCriteria,
    public evaluations: number,
  ) {
    this.originalKey = pixelKey(working);
  }

  /**
   * Scores chains in order until the evaluations would pass `spendUpTo`; the rest are dropped. Pictures
   * already seen (a hue of +180° and of −180°) reuse their score and cost nothing; chains that leave the
   * working copy as it was are no edit and are skipped.
   */
  async run(chains: readonly Setting[][], stage: EditStage, spendUpTo: number): Promise<Scored[]> {
    const made: { settings: Setting[]; operations: Operation[]; key: string }[] = [];
    const fresh = new Map<string, RgbImage>();
    for (const settings of chains) {
      const operations = settings.map(operationOf);
      const pixels = await applyToPixels(this.working, operations);
      const key = pixelKey(pixels);
      if (key === this.originalKey) continue; // changes nothing here: not an edit
      if (!this.seen.has(key) && !fresh.has(key)) {
        if (this.evaluations + fresh.size >= spendUpTo) break;
        fresh.set(key, pixels);
      }
      made.push({ settings, operations, key });
    }
    if (fresh.size > 0) {
      const embeddings = await this.clip.embedImages([...fresh.values()].map((rgb) => ({ rgb })));
      [...fresh.keys()].forEach((key, i) => this.seen.set(key, embeddings[i]!));
      this.evaluations += fresh.size;
    }
    return made.map(({ settings, operations, key }) => {
      const scores = scoreEdit(this.original, this.seen.get(key)!, this.texts);
      this.record(stage, operations, scores, fresh.delete(key));
      return { settings, operations, scores };
    });
  }

  /** Scores the encoded full-size result against the full-size original: what the caller gets. */
  async check(bytes: Uint8Array, original: Float32Array, operations: Operation[]): Promise<EditScores> {
    const [embedding] = await this.clip.embedImages([bytes]);
    this.evaluations++;
    const scores = scoreEdit(original, embedding!, this.texts);
    this.record('final', operations, scores, true);
    return scores;
  }

  private record(stage: EditStage, operations: Operation[], scores: EditScores, evaluated: boolean): void {
    this.steps.push({
      stage,
      operations,
      ...scores,
      keepsImage: keepsImage(scores, this.criteria),
      evaluated,
    });
  }
}

function pixelKey(image: RgbImage): string {
  return createHash('sha1').update(image.data).digest('hex');
}

function tunedParams(operator: EditOperator): NumberParam[] {
  return operator.params.filter((p): p is NumberParam => p.kind === 'number' && p.tuned !== false);
}

function toValue(spec: NumberParam, at: number): number {
  const value = spec.log
    ? Math.exp(Math.log(spec.min) + at * (Math.log(spec.max) - Math.log(spec.min)))
    : spec.min + at * (spec.max - spec.min);
  const rounded = spec.integer ? Math.round(value) : Number(value.toPrecision(4));
  return Math.min(spec.max, Math.max(spec.min, rounded));
}

function toPosition(spec: NumberParam, value: number): number {
  return spec.log
    ? (Math.log(value) - Math.log(spec.min)) / (Math.log(spec.max) - Math.log(spec.min))
    : (value - spec.min) / (spec.max - spec.min);
}

/** The replayable operation: every parameter explicit, so later changes of defaults cannot alter it. */
function operationOf(setting: Setting): Operation {
  const params: Record<string, ParamValue> = {};
  for (const spec of setting.operator.params) {
    if (spec.kind === 'colour') params[spec.name] = setting.colours[spec.name]!;
    else {
      const at = setting.at[spec.name];
      params[spec.name] = at === undefined ? spec.default : toValue(spec, at);
    }
  }
  return { name: setting.operator.name, params };
}

/**
 * The colour settings an operator can take here: the asked colour for a target, each of the image's main
 * colours (not already the asked one) for a source. None when it needs a colour the instruction lacks.
 */
function colourChoices(
  operator: EditOperator,
  asked: string | null,
  sourceColours: string[],
): Setting['colours'][] {
  let choices: Record<string, string>[] = [{}];
  for (const spec of operator.params) {
    if (spec.kind !== 'colour') continue;
    const values = spec.role === 'target' ? (asked ? [asked] : []) : sourceColours;
    choices = choices.flatMap((c) => values.map((v) => ({ ...c, [spec.name]: v })));
  }
  return choices;
}

/**
 * Every operator's grid, strongest settings first: for each tuned parameter (the others at their
 * defaults), positions at LEVELS of the way from neutral to each end of the range. Operators the
 * instruction suggests come first, then the rest, each group interleaved so a small budget still sees
 * every operator's strongest setting.
 */
function coarseGrid(
  allowed: readonly EditOperator[],
  suggested: readonly string[],
  asked: string | null,
  image: RgbImage,
): Setting[][] {
  const askedRgb = asked ? parseColour(asked) : null;
  const sourceColours = dominantColours(image)
    .map((c) => c.rgb)
    .filter((rgb) => !askedRgb || colourDistance(rgb, askedRgb) > SAME_COLOUR)
    .map(toHex);
  const gridOf = (operator: EditOperator): Setting[][] => {
    const defaults = Object.fromEntries(tunedParams(operator).map((p) => [p.name, toPosition(p, p.default)]));
    const points: Setting[][] = [];
    for (const level of LEVELS) {
      for (const colours of colourChoices(operator, asked, sourceColours)) {
        for (const spec of tunedParams(operator)) {
          const neutral = toPosition(spec, spec.neutral);
          for (const end of [1, 0]) {
            if (Math.abs(end - neutral) < 1e-9) continue;
            const at = { ...defaults, [spec.name]: neutral + level * (end - neutral) };
            points.push([{ operator, colours, at }]);
          }
        }
      }
    }
    return points;
  };
  const isSuggested = (op: EditOperator): boolean => suggested.includes(op.name);
  const first = suggested.flatMap((name) => allowed.filter((op) => op.name === name));
  return [
    ...interleave(first.map(gridOf)),
    ...interleave(allowed.filter((op) => !isSuggested(op)).map(gridOf)),
  ];
}

function interleave<T>(lists: readonly T[][]): T[] {
  const out: T[] = [];
  for (let i = 0; lists.some((l) => i < l.length); i++)
    for (const l of lists) if (i < l.length) out.push(l[i]!);
  return out;
}

/**
 * Pattern search from the best few candidates, each from a different operator or colour: try a step either
 * way along each tuned parameter, move to the better neighbour (never back to a visited setting), else
 * halve the step. A search whose step has shrunk below LAST_STEP gives way to the next best family.
 */
async function refine(
  scorer: Scorer,
  scored: readonly Scored[],
  judge: Judge,
  spendUpTo: number,
): Promise<Scored[]> {
  const family = (s: Scored): string =>
    JSON.stringify([s.settings[0]!.operator.name, s.settings[0]!.colours]);
  const position = (s: Scored): string => JSON.stringify(s.settings[0]!.at);
  // The best candidate of each family, best first; the next starts whenever fewer than REFINED_SEEDS run.
  const seeds: Scored[] = [];
  for (const s of rank(scored, judge)) {
    const tunable = tunedParams(s.settings[0]!.operator).length > 0;
    if (tunable && !seeds.some((seed) => family(seed) === family(s))) seeds.push(s);
  }
  const states: { current: Scored; step: number; visited: Set<string> }[] = [];
  const running = (): typeof states => states.filter((s) => s.step >= LAST_STEP);
  const found: Scored[] = [];
  while (scorer.evaluations < spendUpTo) {
    while (running().length < REFINED_SEEDS && seeds.length > 0) {
      const current = seeds.shift()!;
      states.push({ current, step: FIRST_STEP, visited: new Set([position(current)]) });
    }
    const active = running();
    const proposals = active.flatMap((state) => {
      const setting = state.current.settings[0]!;
      return tunedParams(setting.operator).flatMap((spec) =>
        [-state.step, state.step].flatMap((delta) => {
          const at = { ...setting.at, [spec.name]: Math.min(1, Math.max(0, setting.at[spec.name]! + delta)) };
          return state.visited.has(JSON.stringify(at)) ? [] : [{ state, settings: [{ ...setting, at }] }];
        }),
      );
    });
    if (proposals.length === 0) break;
    const results = await scorer.run(
      proposals.map((p) => p.settings),
      'refine',
      spendUpTo,
    );
    found.push(...results);
    const stateOf = new Map(proposals.map((p) => [p.settings, p.state]));
    for (const state of active) {
      const neighbours = results.filter((r) => stateOf.get(r.settings) === state);
      neighbours.forEach((n) => state.visited.add(position(n)));
      const all = [state.current, ...neighbours];
      const next =
        pickBest(all, scoresOf, judge.criteria, judge.preferred) ??
        all.reduce((a, b) => (b.scores.preservation > a.scores.preservation ? b : a));
      if (next === state.current) state.step /= 2;
      else state.current = next;
    }
  }
  return found;
}

/**
 * Puts first, in place of the winner, the strongest setting of the winner's own operator and colours that
 * is as good to CLIP: eligible, within tieTolerance of its directional similarity and INDISTINGUISHABLE of
 * its target similarity. The instruction asked for the change; where CLIP cannot tell, the edit goes all
 * the way.
 */
function goFurther(ranked: readonly Scored[], judge: Judge): Scored[] {
  const [winner] = ranked;
  if (!winner || winner.settings.length !== 1 || !isEligible(winner.scores, judge.criteria))
    return [...ranked];
  const { operator, colours } = winner.settings[0]!;
  const strength = (s: Scored): number =>
    tunedParams(operator).reduce(
      (sum, spec) => sum + Math.abs(s.settings[0]!.at[spec.name]! - toPosition(spec, spec.neutral)),
      0,
    );
  const strongest = ranked
    .filter(
      (s) =>
        s.settings.length === 1 &&
        s.settings[0]!.operator === operator &&
        JSON.stringify(s.settings[0]!.colours) === JSON.stringify(colours) &&
        isEligible(s.scores, judge.criteria) &&
        s.scores.directionalSimilarity >= winner.scores.directionalSimilarity - judge.criteria.tieTolerance &&
        s.scores.targetSimilarity >= winner.scores.targetSimilarity - INDISTINGUISHABLE,
    )
    .reduce((a, b) => (strength(b) > strength(a) ? b : a));
  return [strongest, ...ranked.filter((s) => s !== strongest)];
}

/**
 * The two best eligible operators chained, both ways round. A chain counts only where it points closer to
 * the text than the best single edit: nearer the target text alone would favour piling a global tint on a
 * recolour.
 */
async function chainBestTwo(
  scorer: Scorer,
  singles: readonly Scored[],
  judge: Judge,
  spendUpTo: number,
): Promise<Scored[]> {
  const useful = rank(singles, judge).filter((s) => isEligible(s.scores, judge.criteria));
  const [a] = useful;
  const b = useful.find((s) => s.settings[0]!.operator !== a?.settings[0]!.operator);
  if (!a || !b) return [];
  const chains = [
    [...a.settings, ...b.settings],
    [...b.settings, ...a.settings],
  ];
  const scored = await scorer.run(chains, 'compose', spendUpTo);
  return scored.filter((c) => c.scores.directionalSimilarity > a.scores.directionalSimilarity);
}
