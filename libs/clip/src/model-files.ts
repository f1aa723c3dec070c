import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelLoadError } from './errors.js';

/** Which weights to load; each maps to the file-name suffix Hugging Face ONNX exports use. */
export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8';

export const DTYPE_SUFFIX: Readonly<Record<ModelDtype, string>> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
};

/** The dtypes the table knows, in its order: what a setting may name. */
export const MODEL_DTYPES = Object.keys(DTYPE_SUFFIX) as [ModelDtype, ...ModelDtype[]];

export function isModelDtype(value: string): value is ModelDtype {
  return Object.hasOwn(DTYPE_SUFFIX, value);
}

/** The ONNX files that carry each tower; `combined` when one model.onnx holds both. */
export type TowerFiles =
  { kind: 'split'; text: string; vision: string } | { kind: 'combined'; model: string };

export const CONFIG_FILES = ['config.json', 'preprocessor_config.json', 'tokenizer.json'] as const;

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function assertModelFolder(dir: string): Promise<void> {
  const isFolder = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) {
    throw new ModelLoadError(
      'MODEL_FILE_MISSING',
      `model folder ${dir} does not exist: give a model folder (MODEL_DIR, --model) or pull one`,
    );
  }
}

/** Finds the tower files for a dtype: split towers first, then the combined model. */
export async function resolveTowerFiles(dir: string, dtype: ModelDtype): Promise<TowerFiles> {
  const suffix = DTYPE_SUFFIX[dtype];
  const text = join(dir, 'onnx', `text_model${suffix}.onnx`);
  const vision = join(dir, 'onnx', `vision_model${suffix}.onnx`);
  const [hasText, hasVision] = await Promise.all([exists(text), exists(vision)]);
  if (hasText && hasVision) return { kind: 'split', text, vision };
  const model = join(dir, 'onnx', `model${suffix}.onnx`);
  if (await exists(model)) return { kind: 'combined', model };
  const missing = [hasText ? null : text, hasVision ? null : vision].filter((p) => p !== null);
  throw new ModelLoadError(
    'MODEL_FILE_MISSING',
    `model folder ${dir} has no ${dtype} weights: missing ${missing.join(' and ')} (and no ${model} to use instead)`,
  );
}

/** Reads and parses a JSON file of the model folder, naming the file in every failure. */
export async function readModelJson(
  dir: string,
  name: string,
  required: true,
): Promise<Record<string, unknown>>;
export async function readModelJson(
  dir: string,
  name: string,
  required: false,
): Promise<Record<string, unknown> | undefined>;
export async function readModelJson(
  dir: string,
  name: string,
  required: boolean,
): Promise<Record<string, unknown> | undefined> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if (!required) return undefined;
    throw new ModelLoadError('MODEL_FILE_MISSING', `model folder ${dir} is missing ${name}`, { cause });
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new ModelLoadError(
      'MODEL_INVALID',
      `${path} is not a valid JSON object: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}
