import { ClipEngine, type ClipEngineOptions } from '../clip-engine.js';
import { ClipError } from '../errors.js';
import type { ModelDtype } from '../model-files.js';

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
