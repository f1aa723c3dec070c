import { colourDistance, parseColour, toHex } from './colours.js';
import type { RgbImage } from './image-io.js';
import type { EditOperator, Operation } from './operator.js';
import { dominantColours } from './palette.js';
import type { NumberParam, ParamValue } from './params.js';

/*
 * Where the edit search looks: each operator's tuned parameters as positions in [0, 1] along their
 * (log) range, its colours fixed from the instruction and the image, and the coarse grid over all of it.
 */

/** One operator with its colours fixed and each tuned setting as a position in [0, 1] along its range. */
export interface Setting {
  operator: EditOperator;
  colours: Readonly<Record<string, string>>;
  at: Readonly<Record<string, number>>;
}

/** Grid positions, as fractions of the way from an operator's neutral setting to each end of its range. */
const LEVELS = [1, 0.5, 0.25, 0.75];
/** Image colours this close to the asked colour are not worth recolouring. */
const SAME_COLOUR = 40;

export function tunedParams(operator: EditOperator): NumberParam[] {
  return operator.params.filter((p): p is NumberParam => p.kind === 'number' && p.tuned !== false);
}

function toValue(spec: NumberParam, at: number): number {
  const value = spec.log
    ? Math.exp(Math.log(spec.min) + at * (Math.log(spec.max) - Math.log(spec.min)))
    : spec.min + at * (spec.max - spec.min);
  const rounded = spec.integer ? Math.round(value) : Number(value.toPrecision(4));
  return Math.min(spec.max, Math.max(spec.min, rounded));
}

export function toPosition(spec: NumberParam, value: number): number {
  return spec.log
    ? (Math.log(value) - Math.log(spec.min)) / (Math.log(spec.max) - Math.log(spec.min))
    : (value - spec.min) / (spec.max - spec.min);
}

/** The replayable operation: every parameter explicit, so later changes of defaults cannot alter it. */
export function operationOf(setting: Setting): Operation {
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
export function coarseGrid(
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
