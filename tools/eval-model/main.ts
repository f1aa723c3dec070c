/**
 * The bundled model's zero-shot evaluation through the TypeScript engine (npm run eval:model):
 * `npm run eval:model -- [--single 1000] [--two 1000] [--seed 2026] [--model DIR] [--json FILE]`.
 * Prints a Markdown table for MODEL_CARD.md.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { defaultModelDir, load } from '#clip';
import { evaluateOtherRenderer } from './other-renderer-eval.js';
import { evaluateZeroShot } from './zero-shot-eval.js';

const { values } = parseArgs({
  options: {
    single: { type: 'string', default: '1000' },
    two: { type: 'string', default: '1000' },
    other: { type: 'string', default: '300' },
    seed: { type: 'string', default: '2026' },
    model: { type: 'string' },
    json: { type: 'string' },
  },
});
const engine = await load(values.model ?? defaultModelDir());
const seed = Number(values.seed);
const result = await evaluateZeroShot(engine, {
  singleScenes: Number(values.single),
  twoObjectScenes: Number(values.two),
  seed,
  renderSize: [64, 512],
});
const other = await evaluateOtherRenderer(engine, { scenes: Number(values.other), seed });
await engine.dispose();
const pct = (v: number): string => `${(100 * v).toFixed(1)}%`;
const rows: [string, string, string][] = [
  ['colour (11-way; grayscale/sepia scenes left out)', pct(result.colour), '≥ 97%'],
  ['background (11-way; grayscale/sepia left out)', pct(result.background), '≥ 97%'],
  ['shape (8-way)', pct(result.shape), '≥ 90%'],
  ['style (9-way)', pct(result.style), '≥ 85%'],
  ['full caption among all 7,920 single-object captions', pct(result.canonical), '≥ 80%'],
  ['two-object binding vs colours swapped', pct(result.binding), '≥ 75%'],
  ['colour, all styles', pct(result.colourAllStyles), ''],
  ['full caption, all styles', pct(result.canonicalAllStyles), ''],
  ['binding, all styles', pct(result.bindingAllStyles), ''],
  [`other renderer: colour (${other.scenes} scenes)`, pct(other.colour), ''],
  [`other renderer: shape (${other.scenes} scenes)`, pct(other.shape), ''],
];
process.stdout.write(
  `Held-out zero-shot accuracy: ${result.singleScenes} one-object and ${result.twoObjectScenes} two-object scenes, ` +
    `seed ${seed}, rendered at 64–512 px, ${result.seconds.toFixed(0)} s\n\n| test | accuracy | target |\n| --- | --- | --- |\n` +
    rows.map((r) => `| ${r.join(' | ')} |`).join('\n') +
    '\n',
);
if (values.json)
  await writeFile(values.json, JSON.stringify({ ...result, otherRenderer: other }, null, 2) + '\n');
