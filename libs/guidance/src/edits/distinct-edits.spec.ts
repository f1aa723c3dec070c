import { describe, expect, it } from 'vitest';
import { acceptedFirst, DISTINCT_DELTA_E, DistinctEdits } from './distinct-edits.js';
import { changeWithin } from './delta-e.js';
import { solid } from './test-support/scenes.js';

describe('DistinctEdits', () => {
  const red = solid([200, 40, 40], 2, 1);
  const nearlyRed = solid([198, 40, 40], 2, 1);
  const blue = solid([40, 40, 200], 2, 1);

  it('takes the first edit, then only those that differ clearly from every one kept', () => {
    expect(changeWithin(red, nearlyRed, null)).toBeLessThan(DISTINCT_DELTA_E);
    const distinct = new DistinctEdits(null);
    expect(distinct.isNew(red)).toBe(true);
    distinct.keep(red);
    expect(distinct.isNew(nearlyRed)).toBe(false);
    expect(distinct.isNew(blue)).toBe(true);
    distinct.keep(blue);
    expect(distinct.isNew(solid([40, 40, 202], 2, 1))).toBe(false);
  });

  it('compares only where the edit may change the picture', () => {
    // The second pixel differs, but it lies outside the mask.
    const mask = { weights: Float32Array.from([1, 0]), width: 2, height: 1 };
    const elsewhere = solid([200, 40, 40], 2, 1);
    elsewhere.data.set([40, 40, 200], 3);
    const distinct = new DistinctEdits(mask);
    distinct.keep(red);
    expect(distinct.isNew(elsewhere)).toBe(false);
    const inside = solid([200, 40, 40], 2, 1);
    inside.data.set([40, 40, 200], 0);
    expect(distinct.isNew(inside)).toBe(true);
  });
});

describe('acceptedFirst', () => {
  it('puts accepted edits first, keeping the order within each group', () => {
    const edits = [
      { id: 1, accepted: false },
      { id: 2, accepted: true },
      { id: 3, accepted: false },
      { id: 4, accepted: true },
    ];
    expect(acceptedFirst(edits).map((e) => e.id)).toEqual([2, 4, 1, 3]);
  });
});
