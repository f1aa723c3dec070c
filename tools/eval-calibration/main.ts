/**
 * How the model's calibration holds on scenes it was not made from (npm run eval:calibration):
 * `npm run eval:calibration -- [--scenes 1000] [--seed 2026] [--model DIR]`. Prints a Markdown table for
 * docs/guidance.md.
 */
import { parseArgs } from 'node:util';
import { defaultModelDir, load } from '#clip';
import { evaluateHeldOut } from './held-out-eval.js';

const { values } = parseArgs({
  options: {
    scenes: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '2026' },
    model: { type: 'string' },
  },
});
const engine = await load(values.model ?? defaultModelDir());
const modelId = engine.info.calibration?.model.id ?? engine.info.dir;
const rows = [];
for (const split of ['train', 'heldout'] as const) {
  const r = await evaluateHeldOut(engine, {
    seed: Number(values.seed),
    scenes: Number(values.scenes),
    split,
  });
  rows.push(
    `| ${split === 'train' ? 'same world, new seed' : 'held-out combinations'} | ${r.matchingPairs} | ` +
      `${r.matchingAtLeast95.toFixed(1)}% | ${r.matchingMedianPercentile.toFixed(1)} | ` +
      `${r.mismatchedPairs.toLocaleString('en')} | ${r.mismatchedMedianPercentile.toFixed(1)} | ` +
      `${r.mismatchedAtLeast95.toFixed(1)}% |`,
  );
}
await engine.dispose();
process.stdout.write(
  `Calibration of ${modelId} read on ${values.scenes} fresh scenes per row, seed ${values.seed}\n\n` +
    '| scenes | matching pairs | matching ≥ 95th | median matching percentile | mismatched pairs | median mismatched percentile | mismatched ≥ 95th |\n' +
    '| --- | --- | --- | --- | --- | --- | --- |\n' +
    rows.join('\n') +
    '\n',
);
