import { isEligible } from './edit-scores.js';
import { type Judge, rank, type Scored } from './ranking.js';
import type { Scorer } from './scorer.js';

/**
 * The two best eligible operators chained, both ways round. A chain counts only where it points closer to
 * the text than the best single edit: nearer the target text alone would favour piling a global tint on a
 * recolour.
 */
export async function chainBestTwo(
  scorer: Scorer,
  singles: readonly Scored[],
  judge: Judge,
  ceiling: number,
): Promise<Scored[]> {
  const useful = rank(singles, judge).filter((s) => isEligible(s.scores, judge.criteria));
  const [a] = useful;
  const b = useful.find((s) => s.settings[0]!.operator !== a?.settings[0]!.operator);
  if (!a || !b) return [];
  const chains = [
    [...a.settings, ...b.settings],
    [...b.settings, ...a.settings],
  ];
  const scored = await scorer.run(chains, 'compose', ceiling);
  return scored.filter((c) => c.scores.directionalSimilarity > a.scores.directionalSimilarity);
}
