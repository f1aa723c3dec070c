import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cosineSimilarity, load, ModelLoadError } from './index.js';
import { copyParityModel } from './test-support/model-copy.js';
import { imagePath, PARITY_MODEL, reference } from './test-support/parity-fixture.js';

async function loadError(dir: string, options = {}): Promise<ModelLoadError> {
  const error: unknown = await load(dir, options).then(
    async (engine) => {
      await engine.dispose();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelLoadError);
  return error as ModelLoadError;
}

describe('loading a model folder', () => {
  it('reports what it loaded', async () => {
    const engine = await load(PARITY_MODEL, { intraOpNumThreads: 1 });
    expect(engine.info).toMatchObject({
      dtype: 'fp32',
      modelType: 'clip',
      embeddingDim: 16,
      imageSize: { height: 224, width: 224 },
      contextLength: 77,
      logitScale: 100,
      files: { kind: 'split' },
    });
    await engine.dispose();
  });

  it.each(['config.json', 'preprocessor_config.json', 'tokenizer.json'])(
    'names a missing %s',
    async (file) => {
      const dir = await copyParityModel((p) => p !== file);
      const error = await loadError(dir);
      expect(error.code).toBe('MODEL_FILE_MISSING');
      expect(error.message).toContain(`missing ${file}`);
    },
  );

  it('names the missing tower file when there is no combined model either', async () => {
    const dir = await copyParityModel((p) => p !== 'onnx/vision_model.onnx' && p !== 'onnx/model.onnx');
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_FILE_MISSING');
    expect(error.message).toMatch(/missing .*onnx\/vision_model\.onnx/);
    expect(error.message).not.toMatch(/missing .*text_model\.onnx/);
  });

  it('names the missing quantized files for dtype q8', async () => {
    const dir = await copyParityModel((p) => !p.includes('quantized'));
    const error = await loadError(dir, { dtype: 'q8' });
    expect(error.message).toMatch(
      /no q8 weights: missing .*text_model_quantized\.onnx and .*vision_model_quantized\.onnx/,
    );
  });

  it('falls back to the combined model.onnx and embeds exactly as the split towers do', async () => {
    const dir = await copyParityModel((p) => !/(text|vision)_model/.test(p));
    const combined = await load(dir);
    const split = await load(PARITY_MODEL);
    try {
      expect(combined.info.files).toMatchObject({ kind: 'combined' });
      const texts = reference.texts.slice(0, 4).map((t) => t.text);
      const [a, b] = await Promise.all([combined.embedTexts(texts), split.embedTexts(texts)]);
      a.forEach((v, i) => expect(cosineSimilarity(v, b[i]!)).toBeGreaterThan(0.99999));
      const image = { path: imagePath('landscape_640x480.jpg') };
      const [[c], [s]] = await Promise.all([combined.embedImages([image]), split.embedImages([image])]);
      expect(cosineSimilarity(c!, s!)).toBeGreaterThan(0.99999);
    } finally {
      await Promise.all([combined.dispose(), split.dispose()]);
    }
  });

  it('rejects malformed JSON, naming the file', async () => {
    const dir = await copyParityModel();
    await writeFile(join(dir, 'config.json'), '{ "model_type": ');
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toContain('config.json is not a valid JSON object');
  });

  it('rejects an ONNX file that is not a model', async () => {
    const dir = await copyParityModel();
    await writeFile(join(dir, 'onnx', 'vision_model.onnx'), 'not protobuf');
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(/vision_model\.onnx is not a loadable ONNX model/);
  });

  it('names the tensor a tower lacks', async () => {
    const dir = await copyParityModel();
    await copyFile(join(dir, 'onnx', 'text_model.onnx'), join(dir, 'onnx', 'vision_model.onnx'));
    const error = await loadError(dir);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(/vision_model\.onnx lacks input pixel_values and output image_embeds/);
  });

  it('rejects a preprocessor config without normalisation numbers it asks for', async () => {
    const dir = await copyParityModel();
    await writeFile(
      join(dir, 'preprocessor_config.json'),
      JSON.stringify({ do_normalize: true, image_mean: [0.5] }),
    );
    const error = await loadError(dir);
    expect(error.message).toContain('"image_mean" must be a list of 3 numbers');
  });

  it('takes the trained logit scale from clipsmith exports, and an explicit option over it', async () => {
    const dir = await copyParityModel();
    const config: unknown = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    await writeFile(
      join(dir, 'config.json'),
      JSON.stringify({ ...(config as object), clipsmith_logit_scale: 42.5 }),
    );
    const trained = await load(dir);
    const explicit = await load(dir, { logitScale: 7 });
    expect([trained.info.logitScale, explicit.info.logitScale]).toEqual([42.5, 7]);
    await Promise.all([trained.dispose(), explicit.dispose(), rm(dir, { recursive: true })]);
  });
});

describe('embedding cache', () => {
  it('serves a repeated prompt, image, or the same prompt in other case, from the cache', async () => {
    const engine = await load(PARITY_MODEL, { cacheBytes: 1024 * 1024 });
    try {
      const [first] = await engine.embedTexts(['a photo of a cat']);
      const [again, upper] = await engine.embedTexts(['a photo of a cat', 'A PHOTO  OF A CAT']);
      expect(again).toBe(first);
      expect(upper).toBe(first);
      const image = { path: imagePath('square_224.png') };
      const [i1] = await engine.embedImages([image]);
      const [i2, i3] = await engine.embedImages([image, image]);
      expect(i2).toBe(i1);
      expect(i3).toBe(i1);
      const embeddingBytes = 2 * first!.byteLength;
      expect(engine.cacheStats).toMatchObject({ hits: 4, evictions: 0, entries: 2, maxBytes: 1024 * 1024 });
      expect(engine.cacheStats.bytes).toBeGreaterThan(embeddingBytes);
    } finally {
      await engine.dispose();
    }
  });
});
