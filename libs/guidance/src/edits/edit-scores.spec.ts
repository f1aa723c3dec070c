import { describe, expect, it } from 'vitest';
import {
  type EditScores,
  isAccepted,
  pickBest,
  rankEdits,
  resolveCriteria,
  scoreEdit,
} from './edit-scores.js';

const criteria = { preservationFloor: 0.5, acceptThreshold: 0.3, tieTolerance: 0.05, maxOutsideChange: 2 };

function edit(name: string, directionalSimilarity: number, preservation: number, targetSimilarity: number) {
  return { name, scores: { directionalSimilarity, preservation, targetSimilarity } };
}
const scoresOf = (e: { scores: EditScores }): EditScores => e.scores;
const names = (items: readonly { name: string }[]) => items.map((i) => i.name);

describe('edit scores', () => {
  it('measure direction, preservation and target similarity from embeddings', () => {
    const v = (...xs: number[]) => Float32Array.from(xs);
    const scores = scoreEdit(v(1, 0, 0), v(0.6, 0.8, 0), { source: v(0, 0, 1), target: v(0, 0.6, 0.8) });
    expect(scores.preservation).toBeCloseTo(0.6, 6);
    expect(scores.targetSimilarity).toBeCloseTo(0.48, 6);
    // (−0.4, 0.8, 0) against (0, 0.6, −0.2): 0.48 / (0.894 · 0.632).
    expect(scores.directionalSimilarity).toBeCloseTo(0.48 / (Math.sqrt(0.8) * Math.sqrt(0.4)), 5);
  });

  it('pick the best direction above the floor, near-ties going to the target text', () => {
    const items = [
      edit('under the floor', 0.9, 0.4, 0.9),
      edit('best direction', 0.6, 0.8, 0.3),
      edit('tied, nearer the target', 0.57, 0.7, 0.4),
      edit('not tied', 0.5, 0.9, 0.6),
    ];
    expect(pickBest(items, scoresOf, criteria)?.name).toBe('tied, nearer the target');
    expect(pickBest(items, scoresOf, { ...criteria, tieTolerance: 0 })?.name).toBe('best direction');
    expect(names(rankEdits(items, scoresOf, criteria))).toEqual([
      'tied, nearer the target',
      'best direction',
      'not tied',
      'under the floor',
    ]);
  });

  it('prefer the named operators whenever one of them is eligible', () => {
    const items = [edit('a', 0.6, 0.8, 0.5), edit('b', 0.3, 0.8, 0.1), edit('c', 0.4, 0.2, 0.9)];
    expect(pickBest(items, scoresOf, criteria, (e) => e.name === 'b')?.name).toBe('b');
    // c is under the floor: the preference falls back to every eligible edit.
    expect(pickBest(items, scoresOf, criteria, (e) => e.name === 'c')?.name).toBe('a');
    expect(names(rankEdits(items, scoresOf, criteria, (e) => e.name === 'b'))).toEqual(['b', 'a', 'c']);
  });

  it('never choose an edit that moves away from the text, even above the floor', () => {
    expect(
      pickBest([edit('away', -0.2, 0.99, 0.9), edit('still', 0, 1, 0.9)], scoresOf, criteria),
    ).toBeUndefined();
  });

  it('accept only what clears both the threshold and the floor', () => {
    expect(isAccepted(edit('', 0.3, 0.5, 0).scores, criteria)).toBe(true);
    expect(isAccepted(edit('', 0.29, 0.9, 0).scores, criteria)).toBe(false);
    expect(isAccepted(edit('', 0.9, 0.49, 0).scores, criteria)).toBe(false);
  });

  it('check the criteria', () => {
    expect(() => resolveCriteria({ preservationFloor: 1.5 })).toThrow(/preservationFloor/);
    expect(() => resolveCriteria({ acceptThreshold: Number.NaN })).toThrow(/acceptThreshold/);
    expect(() => resolveCriteria({ tieTolerance: -0.1 })).toThrow(/tieTolerance/);
    expect(() => resolveCriteria({ maxOutsideChange: -1 })).toThrow(/maxOutsideChange/);
  });
});
