import { describe, expect, it } from 'vitest';
import { deriveSeed, Random } from './random.js';

describe('Random', () => {
  it('reproduces the reference mulberry32 sequence, so a seed means the same everywhere', () => {
    const rng = new Random(1);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it('gives the same sequence for the same seed and a different one for another', () => {
    const draw = (seed: number): number[] => {
      const rng = new Random(seed);
      return Array.from({ length: 8 }, () => rng.uint32());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('int covers both bounds and nothing outside them, about uniformly', () => {
    const rng = new Random(3);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[rng.int(1, 4) - 1]!++;
    for (const count of counts) expect(count).toBeGreaterThan(1800);
    expect(counts.reduce((a, b) => a + b)).toBe(8000);
  });

  it('shuffle keeps every item', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const shuffled = new Random(5).shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('pick refuses an empty list', () => {
    expect(() => new Random(1).pick([])).toThrow(RangeError);
  });
});

describe('deriveSeed', () => {
  it('spreads neighbouring indices over distinct 32-bit seeds', () => {
    const seeds = new Set(Array.from({ length: 10_000 }, (_, i) => deriveSeed(1, i)));
    expect(seeds.size).toBe(10_000);
    for (const seed of seeds) expect(seed >>> 0).toBe(seed);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
  });
});
