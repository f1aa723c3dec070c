import { type ClipEngine, cosineSimilarity } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePath } from '#clip/test-support';
import { parityEngine } from '../test-support/engines.js';
import { CaptionCorpus, searchByImage, searchByText } from './retrieval.js';
import { ExactVectorIndex } from './vector-index.js';

let engine: ClipEngine;
beforeAll(async () => (engine = await parityEngine()));
afterAll(() => engine.dispose());

describe('retrieval', () => {
  it('captions an image with the nearest captions of a corpus, deduplicated', async () => {
    const captions = ['a cat', 'a dog', 'a red circle', 'a cat', 'a blue square'];
    const corpus = await CaptionCorpus.build(engine, captions);
    expect(corpus.size).toBe(4);
    const image = { path: imagePath('portrait_300x500.png') };
    const { kept: hits, droppedBelowPercentile } = await corpus.caption(engine, image, 2);
    const [embedding] = await engine.embedImages([image]);
    const texts = await engine.embedTexts(['a cat', 'a dog', 'a red circle', 'a blue square']);
    const expected = ['a cat', 'a dog', 'a red circle', 'a blue square']
      .map((caption, i) => ({ caption, score: cosineSimilarity(embedding!, texts[i]!) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, 2);
    expect(hits.map((h) => h.caption)).toEqual(expected.map((e) => e.caption));
    // The fixture model has no calibration.json: percentiles are null, and a cut is refused.
    expect(hits.map((h) => h.percentile)).toEqual([null, null]);
    expect(droppedBelowPercentile).toBe(0);
    await expect(corpus.caption(engine, image, 2, { minPercentile: 50 })).rejects.toMatchObject({
      code: 'BAD_OPTION',
      message: expect.stringContaining('minPercentile needs a calibrated model'),
    });
  });

  it('searches stored images by text and by image', async () => {
    const names = ['landscape_640x480.jpg', 'portrait_300x500.png', 'square_224.png'];
    const embeddings = await engine.embedImages(names.map((n) => ({ path: imagePath(n) })));
    const index = new ExactVectorIndex<{ name: string }>(engine.info.embeddingDim);
    names.forEach((name, i) => index.upsert(name, embeddings[i]!, { name }));
    const byImage = await searchByImage(engine, index, { path: imagePath('square_224.png') }, 1);
    expect(byImage.kept[0]).toMatchObject({ id: 'square_224.png', score: expect.closeTo(1, 5) });
    const byText = await searchByText(engine, index, 'a photo', 3);
    expect(byText.kept.map((h) => h.id).sort()).toEqual([...names].sort());
  });
});
