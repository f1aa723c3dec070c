import type { Budget } from './budget.js';
import { pickBest } from './edit-scores.js';
import { type Judge, rank, type Scored, scoresOf } from './ranking.js';
import type { Scorer } from './scorer.js';
import { tunedParams } from './search-space.js';

/** Candidates refined at once, each from a different operator or colour. */
const REFINED_SEEDS = 3;
/** First and smallest refinement steps, as fractions of a parameter's (log) range. */
const FIRST_STEP = 0.125;
const LAST_STEP = 1 / 64;

/**
 * Pattern search from the best few candidates, each from a different operator or colour: try a step either
 * way along each tuned parameter, move to the better neighbour (never back to a visited setting), else
 * halve the step. A search whose step has shrunk below LAST_STEP gives way to the next best family. Stops
 * when the budget has spent `ceiling`.
 */
export async function patternSearch(
  scorer: Scorer,
  budget: Budget,
  scored: readonly Scored[],
  judge: Judge,
  ceiling: number,
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
  while (budget.allows(1, ceiling)) {
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
      ceiling,
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
