import { type ClipEngine, cosineSimilarity } from '#clip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parityEngine } from '../test-support/engines.js';
import { rerank } from './rerank.js';

let engine: ClipEngine;
let images: Buffer[];
beforeAll(async () => {
  engine = await parityEngine();
  const solid = (c: string): Promise<Buffer> =>
    sharp({ create: { width: 64, height: 64, channels: 3, background: c } })
      .png()
      .toBuffer();
  const noise = await sharp(Buffer.from(Array.from({ length: 64 * 64 * 3 }, (_, i) => (i * 7919) % 251)), {
    raw: { width: 64, height: 64, channels: 3 },
  })
    .png()
    .toBuffer();
  images = [await solid('#ff0000'), await solid('#00ff00'), noise, await solid('#0000ff')];
});
afterAll(() => engine.dispose());

describe('rerank', () => {
  it('reports raw cosine and CLIPScore, and ranks by relevance with diversity 1', async () => {
    const ranked = await rerank(engine, 'a red square', images, (b) => b);
    const [prompt] = await engine.embedTexts(['a red square']);
    const embeddings = await engine.embedImages(images);
    for (const r of ranked) {
      const expected = cosineSimilarity(embeddings[images.indexOf(r.item)]!, prompt!);
      expect(r.scores.similarity).toBeCloseTo(expected, 6);
      expect(r.scores.clipScore).toBeCloseTo(2.5 * Math.max(expected, 0), 6);
      expect(r.scores.relevance).toBe(r.scores.similarity);
    }
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    for (let i = 1; i < ranked.length; i++)
      expect(ranked[i - 1]!.scores.relevance).toBeGreaterThanOrEqual(ranked[i]!.scores.relevance);
  });

  it('pushes an exact duplicate of the top candidate down when diversity is asked for', async () => {
    const byRelevance = await rerank(engine, 'a red square', images, (b) => b);
    const top = byRelevance[0]!.item;
    const withDuplicate = [...images, Buffer.from(top)];
    const plain = await rerank(engine, 'a red square', withDuplicate, (b) => b);
    expect(plain[1]!.item.equals(top)).toBe(true); // the duplicate is as relevant as the original
    const diverse = await rerank(engine, 'a red square', withDuplicate, (b) => b, { diversity: 0.3 });
    const duplicateRank = diverse.findIndex((r, i) => i > 0 && r.item.equals(top));
    expect(duplicateRank).toBe(diverse.length - 1);
    expect(diverse[duplicateRank]!.scores.redundancy).toBeCloseTo(1, 5);
  });

  it('subtracts a penalty for resembling the negative prompt', async () => {
    const ranked = await rerank(engine, 'a red square', images, (b) => b, {
      negativePrompt: 'a blue square',
      negativeWeight: 2,
    });
    const [negative] = await engine.embedTexts(['a blue square']);
    for (const r of ranked) {
      const n = cosineSimilarity(r.embedding, negative!);
      expect(r.scores.negativeSimilarity).toBeCloseTo(n, 6);
      expect(r.scores.negativePenalty).toBeCloseTo(2 * Math.max(n, 0), 6);
      expect(r.scores.relevance).toBeCloseTo(r.scores.similarity - r.scores.negativePenalty, 6);
    }
  });

  it('refuses a diversity outside [0, 1] and ranks nothing as nothing', async () => {
    await expect(rerank(engine, 'x', images, (b) => b, { diversity: 2 })).rejects.toThrow(
      'diversity must be between 0 and 1',
    );
    expect(await rerank(engine, 'x', [], (b: Buffer) => b)).toEqual([]);
  });
});
