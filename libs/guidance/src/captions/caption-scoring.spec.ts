import { type ClipEngine, cosineSimilarity, refClipScore } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePath } from '#clip/test-support';
import { parityEngine } from '../test-support/engines.js';
import { rankCaptions, scoreCaptions } from './caption-scoring.js';

let engine: ClipEngine;
beforeAll(async () => (engine = await parityEngine()));
afterAll(() => engine.dispose());

const cat = { path: imagePath('landscape_640x480.jpg') };

describe('caption scoring', () => {
  it('computes CLIPScore for each pair and RefCLIPScore where references are given', async () => {
    const [plain, referenced] = await scoreCaptions(engine, [
      { image: cat, caption: 'a photo of a cat' },
      { image: cat, caption: 'a photo of a cat', references: ['a cat on a sofa', 'a sleeping cat'] },
    ]);
    const [image] = await engine.embedImages([cat]);
    const [caption, r1, r2] = await engine.embedTexts([
      'a photo of a cat',
      'a cat on a sofa',
      'a sleeping cat',
    ]);
    const cos = cosineSimilarity(image!, caption!);
    expect(plain).toEqual({
      similarity: expect.closeTo(cos, 6),
      // The fixture model has no calibration.json.
      percentile: null,
      clipScore: expect.closeTo(2.5 * Math.max(cos, 0), 6),
      refClipScore: null,
    });
    expect(referenced!.refClipScore).toBeCloseTo(refClipScore(image!, caption!, [r1!, r2!]), 6);
  });

  it('ranks captions best first with probabilities that sum to one', async () => {
    const ranked = await rankCaptions(engine, cat, ['a dog', 'a cat', 'a red circle']);
    expect(ranked.map((r) => r.caption).sort()).toEqual(['a cat', 'a dog', 'a red circle']);
    expect(ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 9);
    for (let i = 1; i < ranked.length; i++)
      expect(ranked[i - 1]!.similarity).toBeGreaterThanOrEqual(ranked[i]!.similarity);
    await expect(rankCaptions(engine, cat, [])).rejects.toThrow('at least one caption');
  });
});
