import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClipEngine, load } from './index.js';
import { cosineSimilarity } from './scores.js';
import { imagePath, PARITY_MODEL, reference } from './test-support/parity-fixture.js';

const imageNames = Object.keys(reference.images);

describe('parity with transformers (fp32)', () => {
  let engine: ClipEngine;
  beforeAll(async () => {
    engine = await load(PARITY_MODEL, { intraOpNumThreads: 1 });
  });
  afterAll(() => engine.dispose());

  it('tokenizes every reference text to the same ids', () => {
    const ids = engine.tokenize(reference.texts.map((t) => t.text));
    reference.texts.forEach((t, i) => expect(ids[i], JSON.stringify(t.text)).toEqual(t.input_ids));
  });

  it('embeds every reference text with cosine ≥ 0.99999', async () => {
    const embeddings = await engine.embedTexts(reference.texts.map((t) => t.text));
    reference.texts.forEach((t, i) => {
      expect(cosineSimilarity(embeddings[i]!, t.text_embeds), JSON.stringify(t.text)).toBeGreaterThanOrEqual(
        0.99999,
      );
    });
  });

  it('gives a text the same embedding alone and padded inside a batch', async () => {
    const texts = reference.texts.map((t) => t.text);
    const batched = await engine.embedTexts(texts);
    const fresh = await load(PARITY_MODEL, { intraOpNumThreads: 1, cacheBytes: 0 });
    try {
      for (const [i, text] of texts.entries()) {
        const [alone] = await fresh.embedTexts([text]);
        expect(cosineSimilarity(alone!, batched[i]!)).toBeGreaterThan(0.999999);
      }
    } finally {
      await fresh.dispose();
    }
  });

  it.each(imageNames)('embeds %s with cosine ≥ 0.9999 from a path and from bytes', async (name) => {
    const { readFile } = await import('node:fs/promises');
    const [fromPath, fromBytes] = await engine.embedImages([
      { path: imagePath(name) },
      await readFile(imagePath(name)),
    ]);
    const expected = reference.images[name]!.reference.image_embeds_torch;
    expect(cosineSimilarity(fromPath!, expected)).toBeGreaterThanOrEqual(0.9999);
    expect(Array.from(fromBytes!)).toEqual(Array.from(fromPath!));
  });

  it('returns unit-length embeddings', async () => {
    const [text] = await engine.embedTexts(['a photo of a cat']);
    const [image] = await engine.embedImages([{ path: imagePath(imageNames[0]!) }]);
    for (const v of [text!, image!]) expect(Math.hypot(...v)).toBeCloseTo(1, 5);
  });

  it('reproduces logits_per_image within 1e-3 relative for the images the fixture ships', async () => {
    const { images, texts, values } = reference.logits_per_image;
    const scaled = await load(PARITY_MODEL, { logitScale: reference.logit_scale });
    try {
      const textEmbeddings = await scaled.embedTexts(texts);
      const present = images
        .map((name, row) => ({ name, row }))
        .filter(({ name }) => existsSync(imagePath(name)));
      expect(present.length).toBeGreaterThanOrEqual(2);
      const imageEmbeddings = await scaled.embedImages(
        present.map(({ name }) => ({ path: imagePath(name) })),
      );
      present.forEach(({ row }, k) => {
        textEmbeddings.forEach((t, col) => {
          const logit = scaled.info.logitScale * cosineSimilarity(imageEmbeddings[k]!, t);
          const expected = values[row]![col]!;
          expect(Math.abs(logit - expected) / Math.abs(expected)).toBeLessThan(1e-3);
        });
      });
    } finally {
      await scaled.dispose();
    }
  });
});

describe('parity with transformers (q8 and the combined model)', () => {
  it('loads the quantized towers with cosine ≥ 0.99 to the reference', async () => {
    const engine = await load(PARITY_MODEL, { dtype: 'q8' });
    try {
      expect(engine.info.files).toMatchObject({ kind: 'split' });
      expect(String((engine.info.files as { text: string }).text)).toMatch(/text_model_quantized\.onnx$/);
      const texts = await engine.embedTexts(reference.texts.map((t) => t.text));
      reference.texts.forEach((t, i) =>
        expect(cosineSimilarity(texts[i]!, t.text_embeds)).toBeGreaterThanOrEqual(0.99),
      );
      const images = await engine.embedImages(imageNames.map((n) => ({ path: imagePath(n) })));
      imageNames.forEach((n, i) =>
        expect(
          cosineSimilarity(images[i]!, reference.images[n]!.reference.image_embeds_torch),
        ).toBeGreaterThanOrEqual(0.99),
      );
    } finally {
      await engine.dispose();
    }
  });
});
