import { basename, join, resolve } from 'node:path';
import {
  type Calibration,
  CALIBRATION_FILE,
  percentileOf,
  writeCalibration,
} from '../calibration/calibration.js';
import { readCaptionFolder } from '../calibration/caption-folder.js';
import { measureCalibration } from '../calibration/measure.js';
import { ClipEngine, type ClipEngineOptions } from '../clip-engine.js';
import { ClipError } from '../errors.js';
import { type ModelDtype, readModelJson } from '../model-files.js';

export interface TokenizeRow {
  input: string;
  ids: number[];
}

export interface EmbedRow {
  input: string;
  kind: 'image' | 'text';
  embedding: number[];
}

export interface ClassifyRow {
  label: string;
  probability: number;
  similarity: number;
  percentile: number | null;
}

/** One input of `embed`, in the order it was given. */
export type EmbedInput = { kind: 'image'; path: string } | { kind: 'text'; text: string };

async function withEngine<T>(
  model: string,
  options: ClipEngineOptions,
  work: (engine: ClipEngine) => Promise<T>,
): Promise<T> {
  const engine = await ClipEngine.load(model, options);
  try {
    return await work(engine);
  } finally {
    await engine.dispose();
  }
}

export function tokenize(model: string, options: ClipEngineOptions, texts: string[]): Promise<TokenizeRow[]> {
  if (texts.length === 0) throw new ClipError('BAD_INPUT', 'tokenize needs at least one --text');
  return withEngine(model, options, async (engine) => {
    const ids = engine.tokenize(texts);
    return texts.map((input, i) => ({ input, ids: ids[i]! }));
  });
}

export function embed(model: string, options: ClipEngineOptions, inputs: EmbedInput[]): Promise<EmbedRow[]> {
  if (inputs.length === 0) throw new ClipError('BAD_INPUT', 'embed needs at least one --image or --text');
  return withEngine(model, options, async (engine) => {
    const images = inputs.filter((i) => i.kind === 'image');
    const texts = inputs.filter((i) => i.kind === 'text');
    const [imageEmbeddings, textEmbeddings] = await Promise.all([
      engine.embedImages(images.map((i) => ({ path: i.path }))),
      engine.embedTexts(texts.map((t) => t.text)),
    ]);
    const byInput = new Map<EmbedInput, Float32Array>([
      ...images.map((i, k) => [i, imageEmbeddings[k]!] as const),
      ...texts.map((t, k) => [t, textEmbeddings[k]!] as const),
    ]);
    return inputs.map((input) => ({
      input: input.kind === 'image' ? input.path : input.text,
      kind: input.kind,
      embedding: Array.from(byInput.get(input)!),
    }));
  });
}

export function classify(
  model: string,
  options: ClipEngineOptions,
  image: string,
  labels: string[],
): Promise<ClassifyRow[]> {
  if (labels.length < 2) throw new ClipError('BAD_INPUT', 'classify needs at least two --label values');
  return withEngine(model, options, (engine) => engine.classify({ path: image }, labels));
}

export async function pull(repo: string, dtype: ModelDtype, modelsDir: string, log: (line: string) => void) {
  // Loaded on demand: only `pull` needs the hub client.
  const { pullModel } = await import('../hub/pull-model.js');
  let lastFile = '';
  return pullModel({
    repo,
    dtype,
    modelsDir,
    onProgress: ({ file, bytes, total }) => {
      if (file !== lastFile || bytes === total) log(`${file}: ${bytes}/${total} bytes`);
      lastFile = file;
    },
  });
}

export interface CalibrateOptions {
  /** An image–caption folder (captions.jsonl); without it, procedural scenes of `seed`. */
  pairs?: string | undefined;
  seed: number;
  scenes: number;
  /** Where to write; default calibration.json in the model folder. */
  out?: string | undefined;
}

/** What `calibrate` prints: where it wrote, the counts, and landmarks of both distributions. */
export interface CalibrateSummary {
  path: string;
  counts: Calibration['counts'];
  /** Cosine a pair must reach to beat 50 / 95 / 99 % of mismatched pairs. */
  mismatched: { p50: number; p95: number; p99: number };
  /** Median matching cosine, and the share of matching pairs above the mismatched 95th percentile. */
  matching: { median: number; abovePercentile95: number };
}

export function calibrate(
  model: string,
  options: ClipEngineOptions,
  request: CalibrateOptions,
): Promise<CalibrateSummary> {
  return withEngine(model, { ...options, readCalibration: false }, async (engine) => {
    const pairs = request.pairs
      ? await readCaptionFolder(request.pairs)
      : // Loaded on demand: only the procedural source needs the generators lib, which itself uses #clip.
        (await import('#generators')).procedural.captionedScenes(request.seed, request.scenes);
    const calibration = await measureCalibration(engine, pairs, {
      model: { id: await modelId(engine.info.dir), dtype: engine.info.dtype },
      source: request.pairs
        ? { kind: 'folder', folder: basename(resolve(request.pairs)) }
        : { kind: 'procedural', seed: request.seed, scenes: request.scenes },
    });
    const path = request.out ?? join(engine.info.dir, CALIBRATION_FILE);
    await writeCalibration(path, calibration);
    const q = calibration.mismatched;
    const at = (share: number): number => q[Math.round(share * (q.length - 1))]!;
    const matching = calibration.matching;
    return {
      path,
      counts: calibration.counts,
      mismatched: { p50: at(0.5), p95: at(0.95), p99: at(0.99) },
      matching: {
        median: matching[Math.round((matching.length - 1) / 2)]!,
        abovePercentile95:
          matching.filter((s) => (percentileOf(calibration, s) ?? 0) >= 95).length / matching.length,
      },
    };
  });
}

/** The model's name: the Hub id its config records, else the folder's name. */
async function modelId(dir: string): Promise<string> {
  const config = await readModelJson(dir, 'config.json', false);
  const name = config?.['_name_or_path'];
  return typeof name === 'string' && name !== '' ? name : basename(dir);
}
