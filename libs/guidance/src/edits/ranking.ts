import { type EditCriteria, type EditScores, isEligible, rankEdits } from './edit-scores.js';
import type { Operation } from './operator.js';
import { type Setting, toPosition, tunedParams } from './search-space.js';

/** A candidate chain with its scores on the working copy. */
export interface Scored {
  settings: Setting[];
  operations: Operation[];
  scores: EditScores;
}

export const scoresOf = (s: Scored): EditScores => s.scores;

/** How candidates compare: the edit criteria, chains of the operators the instruction names first. */
export interface Judge {
  criteria: EditCriteria;
  preferred: (s: Scored) => boolean;
}

export const rank = (items: readonly Scored[], judge: Judge): Scored[] =>
  rankEdits(items, scoresOf, judge.criteria, judge.preferred);

/**
 * Target similarities this close are below what CLIP resolves: to the scene models measured, 80 % and
 * 100 % grey are equally "grayscale". Between such settings of one operator the stronger wins (goFurther).
 */
const INDISTINGUISHABLE = 0.05;

/**
 * Puts first, in place of the winner, the strongest setting of the winner's own operator and colours that
 * is as good to CLIP: eligible, within tieTolerance of its directional similarity and INDISTINGUISHABLE of
 * its target similarity. The instruction asked for the change; where CLIP cannot tell, the edit goes all
 * the way.
 */
export function goFurther(ranked: readonly Scored[], judge: Judge): Scored[] {
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
