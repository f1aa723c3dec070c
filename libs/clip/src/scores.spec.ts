import { describe, expect, it } from 'vitest';
import {
  clipScore,
  cosineSimilarity,
  directionalSimilarity,
  l2Normalize,
  logits,
  meanEmbedding,
  refClipScore,
  softmax,
} from './scores.js';

describe('score formulas', () => {
  it('normalises to unit length and leaves a zero vector at zero', () => {
    expect(Array.from(l2Normalize([3, 4]))).toEqual([0.6000000238418579, 0.800000011920929]);
    expect(Array.from(l2Normalize([0, 0]))).toEqual([0, 0]);
  });

  it('computes cosine similarity of unnormalised vectors', () => {
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([2, 0], [3, 0])).toBe(1);
    expect(cosineSimilarity([1, 1], [1, 0])).toBeCloseTo(Math.SQRT1_2, 12);
    expect(() => cosineSimilarity([1], [1, 2])).toThrow(RangeError);
  });

  it('scales cosines into logits', () => {
    expect(
      logits(
        [1, 0],
        [
          [0.6, 0.8],
          [1, 0],
        ],
        100,
      ),
    ).toEqual([60.00000000000001, 100].map((v) => expect.closeTo(v, 10)));
  });

  it('computes a stable softmax that sums to one', () => {
    const p = softmax([1000, 1000 + Math.log(3)]);
    expect(p[0]).toBeCloseTo(0.25, 12);
    expect(p[1]).toBeCloseTo(0.75, 12);
    expect(softmax([])).toEqual([]);
  });

  it('computes CLIPScore as 2.5 · max(cos, 0)', () => {
    const image = [0.6, 0.8];
    expect(clipScore(image, [1, 0])).toBeCloseTo(1.5, 12); // cos 0.6
    expect(clipScore(image, [-1, 0])).toBe(0); // negative cosine clipped
    expect(clipScore(image, [0.6, 0.8], 1)).toBeCloseTo(1, 12);
  });

  it('computes RefCLIPScore as the harmonic mean with the best reference', () => {
    const image = [1, 0];
    const caption = [0.6, 0.8]; // CLIPScore = 2.5 · 0.6 = 1.5
    const references = [
      [0, 1], // cos 0.8 with the caption
      [1, 0], // cos 0.6
    ];
    // H(1.5, 0.8) = 2 · 1.5 · 0.8 / 2.3
    expect(refClipScore(image, caption, references)).toBeCloseTo((2 * 1.5 * 0.8) / 2.3, 12);
    expect(refClipScore(image, caption, [[-0.6, -0.8]])).toBe(0);
    expect(() => refClipScore(image, caption, [])).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('computes directional similarity of an edit', () => {
    // The image moved exactly along the text direction.
    expect(directionalSimilarity([1, 0, 0], [0, 1, 0], [0, 0, 1], [-1, 1, 1])).toBeCloseTo(1, 12);
    // Orthogonal to it.
    expect(directionalSimilarity([1, 0, 0], [1, 0, 1], [0, 0, 1], [0, 1, 1])).toBeCloseTo(0, 12);
    // No edit at all has no direction.
    expect(directionalSimilarity([1, 0], [1, 0], [0, 1], [1, 1])).toBe(0);
  });

  it('averages normalised embeddings into a unit-length ensemble', () => {
    const m = meanEmbedding([
      [1, 0],
      [0, 1],
    ]);
    expect(m[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(m[1]).toBeCloseTo(Math.SQRT1_2, 6);
  });
});
