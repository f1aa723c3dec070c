import {
  DEFAULT_IMAGE_LIMITS,
  dot,
  type ImageLimits,
  isVerifiedImage,
  type VerifiedImage,
  verifyImage,
} from '#clip';
import type { ClipPort } from '../clip-port.js';
import { GuidanceError } from '../errors.js';
import { applyToPixels } from './apply-operations.js';
import { Budget, planBudget } from './budget.js';
import { chainBestTwo } from './composition.js';
import {
  type EditCriteria,
  type EditScores,
  embedDirection,
  isAcceptedLocally,
  isEligible,
  resolveCriteria,
} from './edit-scores.js';
import { acceptedFirst, DistinctEdits } from './distinct-edits.js';
import { type AreaDecision, decideArea, type EditArea, insidePixels } from './edit-area.js';
import { blendMasked, maskPng, type Region } from './edit-mask.js';
import { outsideChange } from './delta-e.js';
import { downscale, encodeImage, type RgbImage } from './image-io.js';
import type { LocateOptions } from './locate-part.js';
import { parseInstruction, type TextOverrides } from './instruction.js';
import type { Operation } from './operator.js';
import { findOperator, OPERATORS } from './operator-registry.js';
import { patternSearch } from './pattern-search.js';
import { goFurther, type Judge, rank } from './ranking.js';
import { type EditStep, Scorer } from './scorer.js';
import { coarseGrid } from './search-space.js';

export interface EditOptions extends Partial<EditCriteria>, TextOverrides {
  /** Most CLIP image evaluations, the original and the final check included (default 48). */
  budget?: number;
  /** Shorter side of the copy the search edits (default 224); the chosen chain is then applied at full size. */
  workingSize?: number;
  /** Operators the search may use (default all). */
  operators?: readonly string[] | undefined;
  /** Whether to try the two best operators one after the other (default true). */
  compose?: boolean;
  /**
   * Other edits to answer beside the chosen one (default 0): the next best that look different from it
   * and each other (DISTINCT_DELTA_E), each checked at full size, so each costs an evaluation of the budget.
   */
  alternatives?: number;
  /**
   * Where the edit may change the picture, as an image (white editable, black kept, grey in between),
   * stretched to the picture's size. Overrides the part the instruction names.
   */
  mask?: Uint8Array | VerifiedImage | undefined;
  /** How a part the instruction names is found (see LocateOptions). */
  locate?: Partial<LocateOptions> | undefined;
  imageLimits?: ImageLimits;
  /** Hears each evaluation spent of the budget (a job's progress). */
  onEvaluations?: (spent: number, budget: number) => void;
  /** Stops the search at its next evaluation (a cancelled job), rejecting with the signal's reason. */
  signal?: AbortSignal;
}

export const EDIT_DEFAULTS = { budget: 48, workingSize: 224 } as const;

/** An edited image, verified (its pixels travel on to CLIP and the store), scored at full size. */
export interface EditChoice extends VerifiedImage, EditScores {
  /** The chain that made `bytes` from the input (replay it with applyOperations); empty: no edit was eligible. */
  operations: Operation[];
  /**
   * directionalSimilarity ≥ acceptThreshold and preservation ≥ preservationFloor, measured on `bytes`, and
   * for an edit confined to a part, outsideChange ≤ maxOutsideChange.
   */
  accepted: boolean;
  /** Mean CIEDE2000 against the input outside the mask (where the mask is 0); null without a mask. */
  outsideChange: number | null;
}

/** The edit chosen, with how it was found and the runners-up asked for. */
export interface EditResult extends EditChoice {
  /** The part the instruction names ("square", "background"), null for the whole picture. */
  part: string | null;
  /**
   * What the edit was allowed to touch: the mask (PNG, white editable), where it came from and the box
   * around it in input pixels; null for a whole-picture edit (or a part that was not found).
   */
  area: { source: EditArea['source']; mask: VerifiedImage; region: Region } | null;
  /** Why nothing was edited when the named part was not found; null otherwise. */
  reason: string | null;
  /** CLIP image evaluations spent finding the part, apart from the search's budget. */
  localisationEvaluations: number;
  sourceText: string;
  targetText: string;
  /** The instruction rule that matched. */
  rule: string;
  steps: EditStep[];
  /** CLIP image evaluations spent; never more than the budget. */
  evaluations: number;
  budget: number;
  /**
   * The other edits answered (up to `alternatives`), best first: with the result, accepted edits first,
   * each group by the search's ranking. Fewer when the search found fewer that look different.
   */
  alternatives: EditChoice[];
}

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
 * `accepted: false`. Asked for `alternatives`, the checks go on down the ranking for edits that look
 * different from those kept, and the accepted ones come first. Never spends more than `budget` image
 * evaluations.
 */
export async function editImage(
  clip: ClipPort,
  image: Uint8Array | VerifiedImage,
  instruction: string,
  options: EditOptions = {},
): Promise<EditResult> {
  const workingSize = options.workingSize ?? EDIT_DEFAULTS.workingSize;
  if (!Number.isInteger(workingSize) || workingSize < 16) {
    throw new GuidanceError('BAD_OPTION', 'workingSize must be a whole number of pixels, at least 16');
  }
  const criteria = resolveCriteria(options);
  const allowed = (options.operators ?? OPERATORS.map((op) => op.name)).map(findOperator);
  if (allowed.length === 0)
    throw new GuidanceError('BAD_OPERATION', 'operators must allow at least one operator');
  const parsed = parseInstruction(instruction, options);
  const compose = options.compose ?? true;
  const wanted = 1 + checkedAlternatives(options.alternatives);

  const limits = options.imageLimits ?? DEFAULT_IMAGE_LIMITS;
  const source = isVerifiedImage(image) ? image : await verifyImage(image, limits);
  const decoded = { ...source.pixels, format: source.format };
  const working = await downscale(decoded.rgb, workingSize);
  const decision = await decideArea(
    clip,
    { working, full: decoded.rgb },
    { mask: options.mask, part: parsed.part, locate: options.locate },
    limits,
  );
  const area = decision.kind === 'area' ? decision.area : null;
  const downscaled = working !== decoded.rgb;
  const plan = planBudget(options.budget ?? EDIT_DEFAULTS.budget, { downscaled, compose, finals: wanted });
  const budget = new Budget(plan.total, { onSpend: options.onEvaluations, signal: options.signal });

  budget.spend(plan.originals);
  const [texts, originals] = await Promise.all([
    embedDirection(clip, parsed.sourceText, parsed.targetText),
    clip.embedImages(downscaled ? [{ rgb: working }, { rgb: decoded.rgb }] : [{ rgb: working }]),
  ]);
  const render = (operations: readonly Operation[]) => confined(working, operations, area?.working);
  const scorer = new Scorer(clip, budget, render, working, originals[0]!, texts, criteria);
  const fullOriginal = originals.at(-1)!;

  const suggested = new Set(parsed.operators);
  const judge: Judge = {
    criteria,
    preferred: (s) => s.settings.every((setting) => suggested.has(setting.operator.name)),
  };
  const areaView = area && { source: area.source, mask: await maskPng(area.full), region: area.region };
  const choice = (
    encoded: VerifiedImage,
    operations: Operation[],
    scores: EditScores,
    outside: number | null,
  ): EditChoice => ({
    ...encoded,
    ...scores,
    operations,
    accepted: operations.length > 0 && isAcceptedLocally(scores, outside, criteria),
    outsideChange: outside,
  });
  const result = (chosen: EditChoice, alternatives: EditChoice[]): EditResult => ({
    ...chosen,
    part: parsed.part,
    area: areaView,
    reason: decision.kind === 'absent' ? decision.reason : null,
    localisationEvaluations: localisationCost(decision),
    sourceText: parsed.sourceText,
    targetText: parsed.targetText,
    rule: parsed.rule,
    steps: scorer.steps,
    evaluations: budget.spent,
    budget: budget.total,
    alternatives,
  });
  const unedited = (): EditResult => {
    const scores = {
      directionalSimilarity: 0,
      preservation: 1,
      targetSimilarity: dot(fullOriginal, texts.target),
    };
    return result(choice(source, [], scores, area ? 0 : null), []);
  };
  // Told to edit a part that is not there: nothing to edit, and saying so is the answer.
  if (decision.kind === 'absent') return unedited();

  const colourSource = area ? insidePixels(working, area.working) : working;
  const grid = coarseGrid(allowed, parsed.operators, parsed.colour, colourSource);
  const singles = await scorer.run(grid, 'coarse', plan.coarseUpTo);
  singles.push(...(await patternSearch(scorer, budget, singles, judge, plan.refineUpTo)));
  const composed = compose ? await chainBestTwo(scorer, singles, judge, plan.composeUpTo) : [];

  const chosen: EditChoice[] = [];
  const distinct = new DistinctEdits(area?.working ?? null);
  const checked = new Set<string>();
  for (const candidate of goFurther(rank([...singles, ...composed], judge), judge)) {
    if (chosen.length === wanted || !isEligible(candidate.scores, criteria) || !budget.allows(1)) break;
    const chain = JSON.stringify(candidate.operations);
    if (checked.has(chain)) continue;
    checked.add(chain);
    const preview = await render(candidate.operations);
    if (!distinct.isNew(preview)) continue;
    const edited = await confined(decoded.rgb, candidate.operations, area?.full);
    const encoded = await encodeImage({ ...decoded, rgb: edited }, limits);
    const scores = await scorer.check(encoded, fullOriginal, candidate.operations);
    if (!isEligible(scores, criteria)) continue;
    distinct.keep(preview);
    const outside = area ? outsideChange(decoded.rgb, edited, area.full) : null;
    chosen.push(choice(encoded, candidate.operations, scores, outside));
  }
  const [best, ...others] = acceptedFirst(chosen);
  return best ? result(best, others) : unedited();
}

/** `alternatives`, 0 when absent; throws when it is not a whole number of 0 or more. */
export function checkedAlternatives(alternatives: number | undefined): number {
  if (alternatives === undefined) return 0;
  if (!Number.isInteger(alternatives) || alternatives < 0)
    throw new GuidanceError('BAD_OPTION', 'alternatives must be a whole number, 0 or more');
  return alternatives;
}

/** A chain's pixels, kept to the mask when there is one. */
async function confined(
  image: RgbImage,
  operations: readonly Operation[],
  mask: EditArea['working'] | undefined,
): Promise<RgbImage> {
  const edited = await applyToPixels(image, operations);
  return mask ? blendMasked(image, edited, mask) : edited;
}

function localisationCost(decision: AreaDecision): number {
  return decision.kind === 'area'
    ? decision.area.evaluations
    : decision.kind === 'absent'
      ? decision.evaluations
      : 0;
}
