#!/usr/bin/env node
/**
 * clipsmith's engine on the command line: JSON on stdout and nothing else; errors on stderr with a
 * non-zero exit (2 for usage, 1 for everything else).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultModelDir } from '../bundled-model.js';
import type { ClipEngineOptions } from '../clip-engine.js';
import { ClipError } from '../errors.js';
import { isModelDtype, MODEL_DTYPES, type ModelDtype } from '../model-files.js';
import { quantizeModelFolder } from '../quantize/quantize-folder.js';
import { calibrate, classify, embed, type EmbedInput, pull, tokenize } from './commands.js';
import { readList } from './read-list.js';

const USAGE = `usage:
  cli tokenize [--model DIR] --text TEXT [--text TEXT ...] [--texts-from FILE|-]
  cli embed    [--model DIR] [--image FILE ...] [--text TEXT ...] [--images-from FILE|-] [--texts-from FILE|-]
  cli classify [--model DIR] --image FILE --label TEXT --label TEXT [...] [--labels-from FILE|-]
  cli pull     REPO_ID [--dtype fp32|q8|fp16|int8|uint8] [--dir MODELS_DIR]
  cli quantize DIR [--out DIR] [--per-tensor] [--reduce-range] [--min-elements N] [--force]
  cli calibrate [--model DIR] [--pairs FOLDER | --scenes N --seed N] [--out FILE]
      writes DIR/calibration.json: similarities of matching and mismatched pairs, from an image–caption
      FOLDER (captions.jsonl, {"image","caption"} per line) or from N procedural scenes (default 2000, seed 1)
common: --dtype (weights to load, default fp32), --threads N (onnxruntime intra-op threads)
FILE lists hold one item per line; "-" reads standard input.`;

class UsageError extends Error {}

/** The procedural calibration when none is asked for: what the bundled model's calibration.json was made with. */
const DEFAULT_CALIBRATION = { scenes: 2000, seed: 1 } as const;

const OPTIONS = {
  model: { type: 'string' },
  text: { type: 'string', multiple: true },
  image: { type: 'string', multiple: true },
  label: { type: 'string', multiple: true },
  'texts-from': { type: 'string' },
  'images-from': { type: 'string' },
  'labels-from': { type: 'string' },
  dtype: { type: 'string' },
  threads: { type: 'string' },
  dir: { type: 'string' },
  out: { type: 'string' },
  'per-tensor': { type: 'boolean' },
  'reduce-range': { type: 'boolean' },
  'min-elements': { type: 'string' },
  force: { type: 'boolean' },
  pairs: { type: 'string' },
  scenes: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<unknown> {
  const { values, positionals, tokens } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    tokens: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) throw new UsageError('');
  const dtype = parseDtype(values.dtype);
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0))
    throw new UsageError('--threads must be a positive integer');
  const options: ClipEngineOptions = { dtype, ...(threads ? { intraOpNumThreads: threads } : {}) };
  const model = values.model ?? defaultModelDir();
  const list = async (inline: string[] | undefined, from: string | undefined): Promise<string[]> => [
    ...(inline ?? []),
    ...(from ? await readList(from) : []),
  ];
  switch (command) {
    case 'tokenize':
      return tokenize(model, options, await list(values.text, values['texts-from']));
    case 'embed': {
      // Keep the order the inputs were given in, images and texts interleaved.
      const inputs: EmbedInput[] = tokens.flatMap((t): EmbedInput[] => {
        if (t.kind !== 'option' || t.value === undefined) return [];
        if (t.name === 'image') return [{ kind: 'image', path: t.value }];
        if (t.name === 'text') return [{ kind: 'text', text: t.value }];
        return [];
      });
      if (values['images-from'])
        inputs.push(
          ...(await readList(values['images-from'])).map((path) => ({ kind: 'image' as const, path })),
        );
      if (values['texts-from'])
        inputs.push(
          ...(await readList(values['texts-from'])).map((text) => ({ kind: 'text' as const, text })),
        );
      return embed(model, options, inputs);
    }
    case 'classify': {
      const images = values.image ?? [];
      if (images.length !== 1) throw new UsageError('classify takes exactly one --image');
      return classify(model, options, images[0]!, await list(values.label, values['labels-from']));
    }
    case 'pull': {
      const repo = rest[0];
      if (!repo) throw new UsageError('pull needs a REPO_ID, e.g. Xenova/clip-vit-base-patch32');
      const modelsDir = resolve(values.dir ?? 'models');
      return pull(repo, dtype, modelsDir, (line) => process.stderr.write(line + '\n'));
    }
    case 'quantize': {
      const dir = rest[0];
      if (!dir) throw new UsageError('quantize needs the DIR of a model folder with fp32 towers');
      const minElements = Number(values['min-elements'] ?? 0);
      if (!(Number.isInteger(minElements) && minElements >= 0))
        throw new UsageError('--min-elements must be a non-negative integer');
      return quantizeModelFolder(dir, {
        out: values.out,
        perTensor: values['per-tensor'],
        reduceRange: values['reduce-range'],
        minElements,
        force: values.force,
      });
    }
    case 'calibrate': {
      if (values.pairs && (values.scenes || values.seed))
        throw new UsageError('calibrate takes --pairs FOLDER or --scenes/--seed, not both');
      return calibrate(model, options, {
        pairs: values.pairs,
        scenes: wholeNumber('--scenes', values.scenes ?? String(DEFAULT_CALIBRATION.scenes), 1),
        seed: wholeNumber('--seed', values.seed ?? String(DEFAULT_CALIBRATION.seed), 0),
        out: values.out,
      });
    }
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

function wholeNumber(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!(Number.isInteger(n) && n >= min)) throw new UsageError(`${name} must be an integer ≥ ${min}`);
  return n;
}

function parseDtype(value: string | undefined): ModelDtype {
  if (value === undefined) return 'fp32';
  if (!isModelDtype(value))
    throw new UsageError(`--dtype must be one of ${MODEL_DTYPES.join(', ')} (got ${value})`);
  return value;
}

main(process.argv.slice(2)).then(
  (result) => {
    process.stdout.write(JSON.stringify(result) + '\n');
  },
  (error: unknown) => {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(
        `${(error as Error).message ? `error: ${(error as Error).message}\n` : ''}${USAGE}\n`,
      );
      process.exitCode = 2;
    } else {
      const code = error instanceof ClipError ? ` [${error.code}]` : '';
      process.stderr.write(`error${code}: ${(error as Error).message ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
