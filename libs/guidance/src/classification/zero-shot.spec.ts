import { type ClipEngine, cosineSimilarity, meanEmbedding } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePath } from '#clip/test-support';
import { parityEngine } from '../test-support/engines.js';
import { fillTemplate } from './templates.js';
import { classify, fitTemperature, labelEmbeddings } from './zero-shot.js';

let engine: ClipEngine;
beforeAll(async () => (engine = await parityEngine()));
afterAll(() => engine.dispose());

describe('zero-shot classification', () => {
  it('scores each label by the mean of its normalised template embeddings', async () => {
    const templates = ['a photo of {}.', 'a drawing of {}.'];
    const [cat] = await labelEmbeddings(engine, ['a cat'], templates);
    const parts = await engine.embedTexts(['a photo of a cat.', 'a drawing of a cat.']);
    expect(cosineSimilarity(cat!, meanEmbedding(parts))).toBeCloseTo(1, 6);
    const image = { path: imagePath('square_224.png') };
    const result = await classify(engine, image, ['a cat', 'a dog'], { templates });
    const [embedding] = await engine.embedImages([image]);
    const catScore = result.find((r) => r.label === 'a cat')!;
    expect(catScore.similarity).toBeCloseTo(cosineSimilarity(embedding!, cat!), 6);
    expect(result.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 9);
    expect(result[0]!.probability).toBeGreaterThanOrEqual(result[1]!.probability);
  });

  it('softens probabilities with a temperature above 1', async () => {
    const image = { path: imagePath('square_224.png') };
    const sharp = await classify(engine, image, ['a cat', 'a dog', 'a car']);
    const soft = await classify(engine, image, ['a cat', 'a dog', 'a car'], { temperature: 10 });
    expect(soft[0]!.label).toBe(sharp[0]!.label);
    expect(soft[0]!.probability).toBeLessThan(sharp[0]!.probability);
  });

  it('fits the temperature that makes confidences honest', () => {
    // Every example's true class wins by the same margin, but only 70% are right: T must soften.
    const rows = Array.from({ length: 100 }, (_, i) => (i < 70 ? [0.3, 0.2] : [0.2, 0.3]));
    const truth = rows.map(() => 0);
    const t = fitTemperature(rows, truth, 100);
    // The NLL optimum puts p(correct) at the accuracy: sigmoid(100 · 0.1 / T) = 0.7.
    expect((100 * 0.1) / t).toBeCloseTo(Math.log(0.7 / 0.3), 3);
  });

  it('refuses templates without a placeholder and empty label lists', async () => {
    expect(() => fillTemplate('a photo', 'cat')).toThrow('has no {}');
    await expect(labelEmbeddings(engine, [])).rejects.toThrow('at least one label');
  });
});
