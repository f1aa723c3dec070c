import { directionalSimilarity, dot } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { GuidanceError } from '../errors.js';

/** The text direction an edit should follow. */
export interface TextDirection {
  source: Float32Array;
  target: Float32Array;
}

export interface EditScores {
  /** cos(E(edited) − E(original), E(target text) − E(source text)): does the image move as the words do? */
  directionalSimilarity: number;
  /** cos(E(edited), E(original)): is it still the same picture? */
  preservation: number;
  /** cos(E(edited), E(target text)). */
  targetSimilarity: number;
}

export interface EditCriteria {
  /** Least preservation an edit may have; edits under it are never chosen (nor those that move away from the text). */
  preservationFloor: number;
  /** Least directional similarity an edit needs to count as done. */
  acceptThreshold: number;
  /**
   * Directional similarities this close to the best count as tied, and the tie goes to the edit nearest
   * the target text. Directional similarity ignores how far an edit goes (a faint tint points the same way
   * as a full recolour); this lets the stronger of two equally well-aimed edits win.
   */
  tieTolerance: number;
  /**
   * Most mean CIEDE2000 an edit confined to a part may make outside it (where the mask is 0); past it the
   * edit is not accepted, whatever CLIP says. 1 is about the least difference a person sees.
   */
  maxOutsideChange: number;
}

/*
 * Tuned on the bundled model (clipsmith-scenes; figures from edit-eval.spec.ts and scratch sweeps of 24
 * scenes per kind). A correct full recolour of the object keeps a cosine of 0.67–0.84 to the original,
 * black-and-white and blur 0.59–0.90, and the best of ~45 candidates for an instruction no operator can
 * follow 0.40–0.90: a floor of 0.4 admits every edit asked for and refuses pictures that are no longer the
 * same scene. Directional similarity barely grows with an edit's strength, so without a tie tolerance half
 * of the recolours stop at a faint tint; 0.15 lets the stronger, nearer-the-text edit win. The chosen
 * edit's directional similarity is 0.21–0.50 for recolours (median 0.34) and 0.46–0.88 for styles, while
 * instructions no operator can follow still reach 0.0–0.38 (median 0.16, 90th percentile 0.22) by aligning
 * with noise: 0.25 accepts about 90 % of the recolours, every style, and one impossible edit in 12.
 */
export const DEFAULT_CRITERIA: Readonly<EditCriteria> = {
  preservationFloor: 0.4,
  acceptThreshold: 0.25,
  tieTolerance: 0.15,
  maxOutsideChange: 2,
};

export function resolveCriteria(options: Partial<EditCriteria>): EditCriteria {
  const criteria = {
    preservationFloor: options.preservationFloor ?? DEFAULT_CRITERIA.preservationFloor,
    acceptThreshold: options.acceptThreshold ?? DEFAULT_CRITERIA.acceptThreshold,
    tieTolerance: options.tieTolerance ?? DEFAULT_CRITERIA.tieTolerance,
    maxOutsideChange: options.maxOutsideChange ?? DEFAULT_CRITERIA.maxOutsideChange,
  };
  for (const key of ['preservationFloor', 'acceptThreshold'] as const) {
    if (!(criteria[key] >= -1 && criteria[key] <= 1))
      throw new GuidanceError('BAD_OPTION', `${key} must be between -1 and 1`);
  }
  if (!(criteria.tieTolerance >= 0)) throw new GuidanceError('BAD_OPTION', 'tieTolerance must be 0 or more');
  if (!(criteria.maxOutsideChange >= 0))
    throw new GuidanceError('BAD_OPTION', 'maxOutsideChange must be 0 or more');
  return criteria;
}

export async function embedDirection(
  clip: ClipPort,
  sourceText: string,
  targetText: string,
): Promise<TextDirection> {
  const [source, target] = await clip.embedTexts([sourceText, targetText]);
  return { source: source!, target: target! };
}

export function scoreEdit(original: Float32Array, edited: Float32Array, texts: TextDirection): EditScores {
  return {
    directionalSimilarity: directionalSimilarity(original, edited, texts.source, texts.target),
    preservation: dot(edited, original),
    targetSimilarity: dot(edited, texts.target),
  };
}

export function keepsImage(scores: EditScores, criteria: EditCriteria): boolean {
  return scores.preservation >= criteria.preservationFloor;
}

export function isAccepted(scores: EditScores, criteria: EditCriteria): boolean {
  return keepsImage(scores, criteria) && scores.directionalSimilarity >= criteria.acceptThreshold;
}

/**
 * Accepted with the pixels outside its part in view too: CLIP's verdict, and no more than
 * maxOutsideChange outside the mask (null: a whole-picture edit, nothing outside).
 */
export function isAcceptedLocally(
  scores: EditScores,
  outsideChange: number | null,
  criteria: EditCriteria,
): boolean {
  return (
    isAccepted(scores, criteria) && (outsideChange === null || outsideChange <= criteria.maxOutsideChange)
  );
}

/** May be chosen: keeps the image and moves it, however little, the way the text does. */
export function isEligible(scores: EditScores, criteria: EditCriteria): boolean {
  return keepsImage(scores, criteria) && scores.directionalSimilarity > 0;
}

/**
 * The best eligible edit. Edits of `preferred` items (the operators an instruction names) come first when
 * any is eligible: "blurred" is done by blurring even where the model finds noise as far from "plain".
 * Among them the highest directional similarity wins, the tie (within tieTolerance) going to the highest
 * target similarity. Undefined when no edit keeps the image and moves it toward the text.
 */
export function pickBest<T>(
  items: readonly T[],
  scoresOf: (item: T) => EditScores,
  criteria: EditCriteria,
  preferred: (item: T) => boolean = () => false,
): T | undefined {
  const eligible = items.filter((item) => isEligible(scoresOf(item), criteria));
  const favoured = eligible.filter(preferred);
  const pool = favoured.length > 0 ? favoured : eligible;
  if (pool.length === 0) return undefined;
  const top = Math.max(...pool.map((item) => scoresOf(item).directionalSimilarity));
  return pool
    .filter((item) => scoresOf(item).directionalSimilarity >= top - criteria.tieTolerance)
    .reduce((a, b) => (scoresOf(b).targetSimilarity > scoresOf(a).targetSimilarity ? b : a));
}

/** Every edit, best first: the eligible in pickBest's order, then the rest by directional similarity. */
export function rankEdits<T>(
  items: readonly T[],
  scoresOf: (item: T) => EditScores,
  criteria: EditCriteria,
  preferred?: (item: T) => boolean,
): T[] {
  const ranked: T[] = [];
  const remaining = [...items];
  for (let best = pickBest(remaining, scoresOf, criteria, preferred); best !== undefined;) {
    ranked.push(best);
    remaining.splice(remaining.indexOf(best), 1);
    best = pickBest(remaining, scoresOf, criteria, preferred);
  }
  return ranked.concat(
    remaining.sort((a, b) => scoresOf(b).directionalSimilarity - scoresOf(a).directionalSimilarity),
  );
}
