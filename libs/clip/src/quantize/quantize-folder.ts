import {
  access,
  copyFile,
  lstat,
  mkdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelLoadError } from '../errors.js';
import { DTYPE_SUFFIX } from '../model-files.js';
import { OnnxFormatError, readModel, TensorDataType, writeModel } from './onnx-model.js';
import { quantizeGraph, type Int8Settings } from './quantize-int8.js';

export interface QuantizeOptions {
  /** Where the `_int8` files go (default: the model folder). Another folder also gets the JSON files and
   * links to the fp32 towers, so it holds a complete model: use that for a read-only folder. */
  out?: string;
  /** One scale per weight matrix instead of one per output column. */
  perTensor?: boolean;
  /** Weights in [-63, 63], for AVX2 CPUs without VNNI, where uint8 × int8 products can saturate. */
  reduceRange?: boolean;
  /** Leave weight matrices with fewer elements in fp32 (default 0). */
  minElements?: number;
  /** Rewrite `_int8` files that exist; by default they are kept (they may be the hub's own). */
  force?: boolean;
}

export interface QuantizedFile {
  source: string;
  output: string;
  /** Weight matrices made int8; 0 when the output existed and was kept. */
  matrices: number;
  /** Size of the output file. */
  bytes: number;
  skipped: boolean;
}

export interface QuantizeResult {
  dir: string;
  files: QuantizedFile[];
}

const TOWERS = ['text_model', 'vision_model', 'model'] as const;
const JSON_FILES = [
  'config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'vocab.json',
  'merges.txt',
];

const succeeds = (check: Promise<unknown>): Promise<boolean> =>
  check.then(
    () => true,
    () => false,
  );
const exists = (path: string): Promise<boolean> => succeeds(access(path));

/**
 * Writes the signed-int8 file of each fp32 tower in `dir/onnx` (text_model.onnx, vision_model.onnx,
 * model.onnx) that the engine loads with dtype 'int8', exactly as tools/bench-model/quantize_int8.py does.
 */
export async function quantizeModelFolder(
  dir: string,
  options: QuantizeOptions = {},
): Promise<QuantizeResult> {
  const source = resolve(dir);
  const out = resolve(options.out ?? dir);
  const isFolder = await stat(source).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isFolder) throw new ModelLoadError('MODEL_FILE_MISSING', `model folder ${source} does not exist`);
  const towers = [];
  for (const tower of TOWERS) if (await exists(join(source, 'onnx', `${tower}.onnx`))) towers.push(tower);
  if (towers.length === 0)
    throw new ModelLoadError(
      'MODEL_FILE_MISSING',
      `${join(source, 'onnx')} holds none of ${TOWERS.map((t) => `${t}.onnx`).join(', ')}: quantize needs the fp32 towers`,
    );
  await mkdir(join(out, 'onnx'), { recursive: true });
  if (out !== source) await linkModel(source, out, towers);
  const settings: Int8Settings = {
    perColumn: !options.perTensor,
    limit: options.reduceRange ? 63 : 127,
    minElements: options.minElements ?? 0,
  };
  const files: QuantizedFile[] = [];
  for (const tower of towers) {
    const src = join(source, 'onnx', `${tower}.onnx`);
    const output = join(out, 'onnx', `${tower}${DTYPE_SUFFIX.int8}.onnx`);
    const skipped = !options.force && (await exists(output));
    const matrices = skipped ? 0 : await quantizeFile(src, output, settings);
    files.push({ source: src, output, matrices, bytes: (await stat(output)).size, skipped });
  }
  return { dir: out, files };
}

/** Copies the JSON files into `out` and links the fp32 towers, so that `out` is a model folder too. */
async function linkModel(source: string, out: string, towers: readonly string[]): Promise<void> {
  for (const name of JSON_FILES)
    if (await exists(join(source, name))) await copyFile(join(source, name), join(out, name));
  for (const tower of towers) {
    const link = join(out, 'onnx', `${tower}.onnx`);
    if (!(await succeeds(lstat(link)))) await symlink(join(source, 'onnx', `${tower}.onnx`), link);
  }
}

/** Runs `work` on a model's bytes, turning what it finds unreadable into an error that names the file. */
function readingModel<T>(src: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!(error instanceof OnnxFormatError)) throw error;
    throw new ModelLoadError('MODEL_INVALID', `${src} is not a valid ONNX model: ${error.message}`, {
      cause: error,
    });
  }
}

async function quantizeFile(src: string, dst: string, settings: Int8Settings): Promise<number> {
  const bytes = await readFile(src);
  const model = readingModel(src, () => readModel(bytes));
  const invalid = (reason: string): ModelLoadError => new ModelLoadError('MODEL_INVALID', `${src}${reason}`);
  if (model.opset < 11)
    throw invalid(`: opset ${model.opset}; DynamicQuantizeLinear needs opset 11 or later`);
  const { initializers } = model.graph;
  if (initializers.some((i) => i.dataType === TensorDataType.float16))
    throw invalid(' holds fp16 weights: quantise the fp32 export');
  if (initializers.some((i) => i.external))
    throw invalid(
      ' keeps weights in external data files, which quantize does not read: use an export that holds them inline',
    );
  const { graph, matrices } = readingModel(src, () => quantizeGraph(model.graph, settings));
  if (matrices === 0) throw invalid(': no MatMul or Gemm with a constant fp32 weight to quantise');
  const partial = `${dst}.partial`;
  try {
    await writeFile(partial, writeModel({ ...model, graph }).toBuffer());
    await rename(partial, dst);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return matrices;
}
