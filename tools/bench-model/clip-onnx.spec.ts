import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatValues, PARITY_MODEL, readModel, reference, referencePixels } from '#clip/test-support';
import { type ClipConfig, textModel, visionModel, type WeightSource } from './clip-onnx.js';
import { exportClip, randomWeights } from './export-model.js';

/** The parity fixture's sizes (a transformers 5.17 export): two layers 32 wide, projection 16. */
const FIXTURE_CONFIG: ClipConfig = {
  projectionDim: 16,
  vision: {
    hiddenSize: 32,
    layers: 2,
    heads: 2,
    intermediateSize: 64,
    layerNormEps: 1e-5,
    imageSize: 224,
    patchSize: 32,
    channels: 3,
  },
  text: {
    hiddenSize: 32,
    layers: 2,
    heads: 2,
    intermediateSize: 64,
    layerNormEps: 1e-5,
    vocabSize: 49408,
    maxPositions: 77,
  },
};

/**
 * The weights of an export, by our names: initializers named after their parameter (`m.m.` dropped,
 * Identity aliases followed), and MatMul weights named after the module whose MatMul reads them.
 */
async function exportWeights(file: string): Promise<Map<string, Float32Array>> {
  const { graph } = readModel(await readFile(file));
  const values = new Map(graph.initializers.map((t) => [t.name, floatValues(t)]));
  const out = new Map<string, Float32Array>();
  const name = (raw: string): string => raw.replace(/^m\.m\./, '');
  for (const [raw, v] of values) out.set(name(raw), v);
  for (const node of graph.nodes) {
    const source = values.get(node.inputs[node.opType === 'MatMul' ? 1 : 0] ?? '');
    if (!source) continue;
    if (node.opType === 'Identity') out.set(name(node.outputs[0]!), source);
    if (node.opType !== 'MatMul') continue;
    const output = node.outputs[0]!;
    const module =
      output === 'image_embeds'
        ? 'visual_projection'
        : output === 'text_embeds'
          ? 'text_projection'
          : output
              .replace(/^\/m\//, '')
              .replace(/\/MatMul_output_0$/, '')
              .replaceAll('/', '.');
    out.set(`${module}.weight`, source);
  }
  return out;
}

function fromExport(weights: Map<string, Float32Array>): WeightSource {
  return (name) => {
    const values = weights.get(name);
    if (!values) throw new Error(`the export has no ${name}`);
    return values;
  };
}

const opCounts = (bytes: Uint8Array): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const node of readModel(bytes).graph.nodes) counts[node.opType] = (counts[node.opType] ?? 0) + 1;
  return counts;
};

// The operators that do the work (shape arithmetic differs: the export spells it out per layer).
const HEAVY_OPS = ['MatMul', 'Conv', 'Softmax', 'Sigmoid', 'ReduceMean', 'Sqrt', 'ArgMax'];

function expectClose(actual: ArrayLike<number>, expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  const scale = Math.max(...expected.map(Math.abs));
  const worst = Math.max(...expected.map((e, i) => Math.abs(actual[i]! - e)));
  expect(worst / scale).toBeLessThan(2e-5);
}

describe('the benchmark CLIP written in TypeScript', () => {
  let vision: Buffer;
  let text: Buffer;
  let dir: string;

  beforeAll(async () => {
    const weights = new Map([
      ...(await exportWeights(join(PARITY_MODEL, 'onnx', 'vision_model.onnx'))),
      ...(await exportWeights(join(PARITY_MODEL, 'onnx', 'text_model.onnx'))),
    ]);
    vision = visionModel(FIXTURE_CONFIG, fromExport(weights));
    text = textModel(FIXTURE_CONFIG, fromExport(weights));
    dir = await mkdtemp(join(tmpdir(), 'clipsmith-clip-onnx-'));
    await exportClip({
      out: join(dir, 'fixture-weights'),
      config: FIXTURE_CONFIG,
      weights: fromExport(weights),
    });
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('has the operators of a transformers export, as many of the heavy ones', async () => {
    for (const [ours, tower] of [
      [vision, 'vision_model.onnx'],
      [text, 'text_model.onnx'],
    ] as const) {
      const theirs = opCounts(await readFile(join(PARITY_MODEL, 'onnx', tower)));
      const counts = opCounts(ours);
      // Every operator we use appears in the export (which also has Constant, Identity, … of its own).
      expect(Object.keys(counts).filter((op) => !(op in theirs))).toEqual([]);
      for (const op of HEAVY_OPS) expect([tower, op, counts[op] ?? 0]).toEqual([tower, op, theirs[op] ?? 0]);
    }
  });

  it('computes transformers’ image embeddings from the reference pixels', async () => {
    const session = await ort.InferenceSession.create(vision);
    for (const [image, { reference: expected }] of Object.entries(reference.images).slice(0, 3)) {
      const pixels = new ort.Tensor('float32', referencePixels(image), [1, 3, 224, 224]);
      const out = await session.run({ pixel_values: pixels });
      expectClose(out['image_embeds']!.data as Float32Array, expected.image_embeds_torch);
    }
  });

  it('computes transformers’ text embeddings, batched with padding', async () => {
    const session = await ort.InferenceSession.create(text);
    const texts = reference.texts.slice(0, 4);
    const length = Math.max(...texts.map((t) => t.input_ids.length));
    const ids = texts.flatMap((t) => [
      ...t.input_ids,
      ...Array<number>(length - t.input_ids.length).fill(reference.pad_token_id),
    ]);
    const out = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [texts.length, length]),
    });
    const embeds = out['text_embeds']!.data as Float32Array;
    texts.forEach((t, i) => expectClose(embeds.subarray(i * 16, (i + 1) * 16), t.text_embeds));
  });

  it('loads in transformers.js, which computes the same embeddings from its folder', async () => {
    const tjs = await import('@huggingface/transformers');
    tjs.env.allowRemoteModels = false;
    tjs.env.localModelPath = dir + '/';
    const model = await tjs.CLIPTextModelWithProjection.from_pretrained('fixture-weights', { dtype: 'fp32' });
    const tokenizer = await tjs.AutoTokenizer.from_pretrained('fixture-weights');
    const first = reference.texts[0]!;
    const { text_embeds } = (await model(tokenizer([first.text]))) as { text_embeds: { data: Float32Array } };
    expectClose(text_embeds.data, first.text_embeds);
    const visionModelTjs = await tjs.CLIPVisionModelWithProjection.from_pretrained('fixture-weights', {
      dtype: 'fp32',
    });
    const [image, { reference: expected }] = Object.entries(reference.images)[0]!;
    const pixel_values = new tjs.Tensor('float32', referencePixels(image), [1, 3, 224, 224]);
    const { image_embeds } = (await visionModelTjs({ pixel_values })) as {
      image_embeds: { data: Float32Array };
    };
    expectClose(image_embeds.data, expected.image_embeds_torch);
  });

  it("ships the parity fixture's CLIP tokenizer", async () => {
    const [ours, fixture] = await Promise.all(
      [join(dir, 'fixture-weights'), PARITY_MODEL].map((d) => readFile(join(d, 'tokenizer.json'))),
    );
    expect(ours!.equals(fixture!)).toBe(true);
  });

  it('makes the same random model from the same seed, and another from another seed', () => {
    const draw = (seed: number): Float32Array =>
      randomWeights(seed)('vision_model.x.weight', [4, 8], 'fc1', FIXTURE_CONFIG.vision);
    expect(draw(0)).toEqual(draw(0));
    expect(draw(0)).not.toEqual(draw(1));
  });
});
