/**
 * Renders a captioned procedural-scene dataset for training clipsmith's CLIP model:
 *
 *   npx tsx tools/dataset/make-dataset.ts --out DIR --count N --image-size 64 --seed 1 \
 *     [--split train|heldout] [--two-object-fraction 0.4] [--jpeg-fraction 0.25] \
 *     [--colour-shift-fraction 0.25] [--in-flight 4]
 *
 * The file format is described on writeDataset (libs/generators/src/procedural/dataset.ts).
 */
import { parseArgs } from 'node:util';
import { GeneratorError, procedural } from '#generators';

const USAGE =
  'usage: make-dataset --out DIR --count N --image-size PX --seed S [--split train|heldout] ' +
  '[--two-object-fraction F] [--jpeg-fraction F] [--colour-shift-fraction F] [--in-flight K]';

function numberArg(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n))
    throw new RangeError(`--${name} must be a number, got ${String(value)}`);
  return n;
}

function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new RangeError(`--${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      count: { type: 'string' },
      'image-size': { type: 'string' },
      seed: { type: 'string' },
      split: { type: 'string' },
      'two-object-fraction': { type: 'string' },
      'jpeg-fraction': { type: 'string' },
      'colour-shift-fraction': { type: 'string' },
      'in-flight': { type: 'string' },
    },
    strict: true,
  });
  const split = values.split ?? 'train';
  if (split !== 'train' && split !== 'heldout') throw new RangeError(`--split must be train or heldout`);
  const count = required(numberArg(values, 'count'), 'count');
  const step = Math.max(1, Math.floor(count / 20));
  const summary = await procedural.writeDataset({
    out: required(values.out, 'out'),
    count,
    imageSize: required(numberArg(values, 'image-size'), 'image-size'),
    seed: required(numberArg(values, 'seed'), 'seed'),
    split,
    twoObjectFraction: numberArg(values, 'two-object-fraction'),
    jpegFraction: numberArg(values, 'jpeg-fraction'),
    colourShiftFraction: numberArg(values, 'colour-shift-fraction'),
    inFlight: numberArg(values, 'in-flight'),
    onProgress: (done) => {
      if (done % step === 0 || done === count) process.stderr.write(`\r${done}/${count}`);
    },
  });
  process.stderr.write('\n');
  console.log(
    `wrote ${summary.count} ${split} images in ${summary.seconds.toFixed(1)} s ` +
      `(${summary.imagesPerSecond.toFixed(0)} images/s)`,
  );
}

/** A flag this command refused, or an option writeDataset refused: both are the user's to fix. */
function isUsageError(error: unknown): error is Error {
  return error instanceof RangeError || (error instanceof GeneratorError && error.code === 'BAD_REQUEST');
}

main().catch((error: unknown) => {
  console.error(isUsageError(error) ? `${error.message}\n${USAGE}` : error);
  process.exitCode = isUsageError(error) ? 2 : 1;
});
