import { l2Normalize } from '#clip';
import { describe, expect, it } from 'vitest';
import { ExactVectorIndex } from './vector-index.js';

function randomUnit(dim: number, seed: number): Float32Array {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return l2Normalize(Array.from({ length: dim }, next));
}

describe('ExactVectorIndex', () => {
  it('finds the same top-k as a brute-force sort, over thousands of vectors', () => {
    const index = new ExactVectorIndex<{ n: number }>(32, 4); // starts small: growth is exercised
    const vectors = Array.from({ length: 3000 }, (_, i) => randomUnit(32, i + 1));
    vectors.forEach((v, i) => index.upsert(`v${i}`, v, { n: i }));
    const query = randomUnit(32, 99_999);
    const expected = vectors
      .map((v, i) => ({ id: `v${i}`, score: v.reduce((s, x, k) => s + x * query[k]!, 0) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 10);
    const hits = index.search(query, 10);
    expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
    hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 5));
  });

  it('updates, removes and filters', () => {
    const index = new ExactVectorIndex<{ tag: string }>(2);
    index.upsert('a', l2Normalize([1, 0]), { tag: 'x' });
    index.upsert('b', l2Normalize([0, 1]), { tag: 'y' });
    index.upsert('c', l2Normalize([1, 1]), { tag: 'x' });
    index.upsert('a', l2Normalize([-1, 0]), { tag: 'x' });
    expect(index.size).toBe(3);
    expect(index.search(l2Normalize([1, 0]), 1)[0]!.id).toBe('c');
    expect(index.remove('c')).toBe(true);
    expect(index.remove('c')).toBe(false);
    expect(index.search(l2Normalize([1, 0]), 3).map((h) => h.id)).toEqual(['b', 'a']);
    expect(index.search(l2Normalize([0, 1]), 3, (m) => m.tag === 'x').map((h) => h.id)).toEqual(['a']);
    expect(() => index.search(new Float32Array(3), 1)).toThrow('query has 3 dimensions; the index holds 2');
  });
});
