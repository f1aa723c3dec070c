import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { ClipError, cosineSimilarity, load, type ClipEngine } from '../index.js';
import { copyParityModel } from '../test-support/model-copy.js';
import { gemmTestModel, onnxModel, type ModelSpec } from '../test-support/onnx-builder.js';
import { imagePath, PARITY_MODEL, reference } from '../test-support/parity-fixture.js';
import { readModel, TensorDataType } from './onnx-model.js';
import { quantizeModelFolder, type QuantizeOptions } from './quantize-folder.js';

const TOWERS = ['text_model', 'vision_model', 'model'];

/**
 * sha256 of what `/usr/bin/python3 tools/bench-model/quantize_int8.py --model <parity model> --out OUT [flags]`
 * writes (python3-onnx 1.12, numpy 1.24), per tower.
 */
const PYTHON_OUTPUT: { flags: string; options: QuantizeOptions; sha256: Record<string, string> }[] = [
  {
    flags: '',
    options: {},
    sha256: {
      text_model: '66d78177f1f5794a5501ad67e1023d186b2a6b1a3cfffdc069594ecce1656f45',
      vision_model: 'f7d6485b4b9c535601921ddabd2419592b234366343eb557e4a8c53643f51af7',
      model: '7628d94fb47892dec1514ad78c473c5bbc1078b30134fbcb1d28880f7e78d5fd',
    },
  },
  {
    flags: '--per-tensor',
    options: { perTensor: true },
    sha256: {
      text_model: 'df8d284b9e78807a0ba9f9e212e28ee26db839124e1c201ceaeef4b51c49e34c',
      vision_model: '4e27e85c07f60638e4b4deab37339a2b17912e8f9998f1a2a99921e0f8f75ee1',
      model: '46e1e167d9de1746b972b60d2000b7b66021041aba2a7e713fd8011b1249aa56',
    },
  },
  {
    flags: '--reduce-range --min-elements 2000',
    options: { reduceRange: true, minElements: 2000 },
    sha256: {
      text_model: '3d8e9b6ce56f966ab44986b5fad5e1a453f5ec7a65c0211a5c1cd40485f8ce62',
      vision_model: 'f4e467bcb8b6ed4b2e5b63fd4254303bd5a660b9ad3e8c4809dcacc54e178d16',
      model: 'eab1f166c5a8d739709320ff6be6d8096d2680e9363ae5715f1605dfeb23857d',
    },
  },
];

const made: string[] = [];
afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-quantize-'));
  made.push(dir);
  return dir;
}

/** A writable copy of the parity model's files that `keep` accepts. */
async function parityCopy(keep: (relativePath: string) => boolean): Promise<string> {
  const dir = await copyParityModel(keep);
  made.push(dirname(dir));
  return dir;
}

const sha256 = async (path: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

/** A model folder whose onnx/model.onnx is `spec`. */
async function folderWith(spec: ModelSpec | Buffer): Promise<string> {
  const dir = await tempDir();
  await mkdir(join(dir, 'onnx'));
  await writeFile(join(dir, 'onnx', 'model.onnx'), Buffer.isBuffer(spec) ? spec : onnxModel(spec));
  return dir;
}

async function quantizeError(dir: string): Promise<ClipError> {
  const error: unknown = await quantizeModelFolder(dir).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ClipError);
  return error as ClipError;
}

/** MatMul and Gemm nodes whose weight is a 2-D fp32 initializer. */
function constantWeightMatMuls(bytes: Uint8Array): number {
  const { graph } = readModel(bytes);
  const matrices = new Set(
    graph.initializers
      .filter((i) => i.dataType === TensorDataType.float && i.dims.length === 2)
      .map((i) => i.name),
  );
  return graph.nodes.filter((n) => ['MatMul', 'Gemm'].includes(n.opType) && matrices.has(n.inputs[1] ?? ''))
    .length;
}

async function embeddings(engine: ClipEngine): Promise<Float32Array[]> {
  const texts = await engine.embedTexts(reference.texts.map((t) => t.text));
  const images = await engine.embedImages(
    Object.keys(reference.images).map((name) => ({ path: imagePath(name) })),
  );
  await engine.dispose();
  return [...texts, ...images];
}

describe('quantizing a model folder', () => {
  it.each(PYTHON_OUTPUT)(
    'writes the bytes quantize_int8.py writes (flags: "$flags")',
    async ({ options, sha256: expected }) => {
      const out = await tempDir();
      const result = await quantizeModelFolder(PARITY_MODEL, { ...options, out });
      expect(result.files.map((f) => f.output)).toEqual(
        TOWERS.map((t) => join(out, 'onnx', `${t}_int8.onnx`)),
      );
      for (const tower of TOWERS)
        expect(await sha256(join(out, 'onnx', `${tower}_int8.onnx`))).toBe(expected[tower]);
    },
  );

  it('makes every constant-weight MatMul integer, in files onnxruntime loads', async () => {
    const out = await tempDir();
    const { files } = await quantizeModelFolder(PARITY_MODEL, { out });
    expect(files.map((f) => f.matrices)).toEqual([13, 13, 26]);
    for (const file of files) {
      const [source, output] = await Promise.all([readFile(file.source), readFile(file.output)]);
      const integer = readModel(output).graph.nodes.filter((n) => n.opType === 'MatMulInteger');
      expect(integer).toHaveLength(constantWeightMatMuls(source));
      expect(integer).toHaveLength(file.matrices);
      expect(file.bytes).toBe(output.length);
      const session = await ort.InferenceSession.create(output);
      await session.release();
    }
  });

  it('gives embeddings within cosine 0.999 of fp32 through the engine, split and combined', async () => {
    const out = await tempDir();
    await quantizeModelFolder(PARITY_MODEL, { out });
    const fp32 = await embeddings(await load(PARITY_MODEL, { intraOpNumThreads: 1 }));
    const int8 = await embeddings(await load(out, { dtype: 'int8', intraOpNumThreads: 1 }));
    const combinedDir = await parityCopy((p) => !p.startsWith('onnx/') || p === 'onnx/model.onnx');
    await quantizeModelFolder(combinedDir);
    const combinedEngine = await load(combinedDir, { dtype: 'int8', intraOpNumThreads: 1 });
    expect(combinedEngine.info.files.kind).toBe('combined');
    const combined = await embeddings(combinedEngine);
    fp32.forEach((expected, i) => {
      expect(cosineSimilarity(int8[i]!, expected)).toBeGreaterThanOrEqual(0.999);
      // The combined export, quantised on its own, reaches 0.9988 on one text: the towers are only 32 wide.
      expect(cosineSimilarity(combined[i]!, expected)).toBeGreaterThanOrEqual(0.998);
    });
  });

  it('makes --out a complete model folder: JSON files copied, fp32 towers linked', async () => {
    const out = await tempDir();
    await quantizeModelFolder(PARITY_MODEL, { out });
    expect((await readdir(out)).sort()).toEqual([
      'config.json',
      'onnx',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    for (const tower of TOWERS)
      expect(await readlink(join(out, 'onnx', `${tower}.onnx`))).toBe(
        join(PARITY_MODEL, 'onnx', `${tower}.onnx`),
      );
  });

  it('writes in place by default, and keeps existing _int8 files unless forced', async () => {
    const dir = await folderWith(gemmTestModel());
    const output = join(dir, 'onnx', 'model_int8.onnx');
    expect((await quantizeModelFolder(dir)).files).toEqual([
      { source: join(dir, 'onnx', 'model.onnx'), output, matrices: 4, bytes: 2106, skipped: false },
    ]);
    await writeFile(output, 'the hub one');
    expect((await quantizeModelFolder(dir)).files[0]).toMatchObject({
      matrices: 0,
      bytes: 11,
      skipped: true,
    });
    expect((await quantizeModelFolder(dir, { force: true })).files[0]).toMatchObject({
      matrices: 4,
      skipped: false,
    });
    expect((await readdir(join(dir, 'onnx'))).sort()).toEqual(['model.onnx', 'model_int8.onnx']);
  });
});

describe('quantize refuses', () => {
  const matMul = (weight: Partial<ModelSpec['initializers'][number]> = {}, opset = 14): ModelSpec => ({
    opset,
    inputs: [{ name: 'X', dims: [1, 2] }],
    outputs: [{ name: 'Y', dims: [1, 2] }],
    initializers: [{ name: 'W', dims: [2, 2], values: [1, 2, 3, 4], ...weight }],
    nodes: [{ op: 'MatMul', inputs: ['X', 'W'], outputs: ['Y'] }],
  });

  it('a folder that does not exist', async () => {
    const error = await quantizeError('/nonexistent/model');
    expect(error.code).toBe('MODEL_FILE_MISSING');
    expect(error.message).toMatch(/model folder \/nonexistent\/model does not exist/);
  });

  it('a folder without fp32 towers', async () => {
    const dir = await parityCopy((p) => !/^onnx\/(text_model|vision_model|model)\.onnx$/.test(p));
    const error = await quantizeError(dir);
    expect(error.code).toBe('MODEL_FILE_MISSING');
    expect(error.message).toBe(
      `${join(dir, 'onnx')} holds none of text_model.onnx, vision_model.onnx, model.onnx: quantize needs the fp32 towers`,
    );
  });

  it.each([
    ['fp16 weights', matMul({ dataType: 10 }), /model\.onnx holds fp16 weights: quantise the fp32 export$/],
    ['opset 10', matMul({}, 10), /model\.onnx: opset 10; DynamicQuantizeLinear needs opset 11 or later$/],
    [
      'weights in external data',
      matMul({ externalFile: 'model.onnx_data' }),
      /keeps weights in external data files/,
    ],
    [
      'a model without constant-weight MatMuls',
      {
        ...matMul(),
        initializers: [],
        inputs: [
          { name: 'X', dims: [1, 2] },
          { name: 'W', dims: [2, 2] },
        ],
      },
      /model\.onnx: no MatMul or Gemm with a constant fp32 weight to quantise$/,
    ],
  ])('%s', async (_, spec, message) => {
    const dir = await folderWith(spec);
    const error = await quantizeError(dir);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toMatch(message);
    expect(await readdir(join(dir, 'onnx'))).toEqual(['model.onnx']);
  });

  it.each([
    ['truncated', (bytes: Buffer) => bytes.subarray(0, bytes.length - 100), /truncated field 7/],
    ['not protobuf', () => Buffer.from('{"model": "json"}'), /unsupported wire type 3/],
    [
      'a weight shorter than its dims',
      () => onnxModel(matMul({ dims: [2, 3] })),
      /W holds 4 values for dims 2×3/,
    ],
  ])('a file %s', async (_, corrupt, detail) => {
    const dir = await folderWith(corrupt(gemmTestModel()));
    const error = await quantizeError(dir);
    expect(error.code).toBe('MODEL_INVALID');
    expect(error.message).toContain(`${join(dir, 'onnx', 'model.onnx')} is not a valid ONNX model: `);
    expect(error.message).toMatch(detail);
    expect(await readdir(join(dir, 'onnx'))).toEqual(['model.onnx']);
  });
});
