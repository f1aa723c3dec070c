/**
 * Guidance figures with the bundled model on procedural scenes (npm run eval:guidance):
 * `npm run eval:guidance -- [--rerank 200] [--moderation 100] [--scenes 400] [--seed 2027]
 * [--moderation-threshold 0.3] [--model DIR] [--json FILE]`. Calibrate the moderation threshold for another
 * model on other seeds than the evaluation's (2027, and 12 in the proof).
 * The edit figures come from the edit proof (EDIT_EVAL_FULL=1 npx vitest run libs/guidance/src/edits).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { defaultModelDir, load } from '#clip';
import { captionScoringTrials, classificationTrials } from './classification-trials.js';
import { MODERATION_THRESHOLD } from './defaults.js';
import { moderationTrials } from './moderation-trials.js';
import { rerankTrials } from './rerank-trials.js';

const { values } = parseArgs({
  options: {
    rerank: { type: 'string', default: '200' },
    moderation: { type: 'string', default: '100' },
    scenes: { type: 'string', default: '400' },
    seed: { type: 'string', default: '2027' },
    'moderation-threshold': { type: 'string', default: String(MODERATION_THRESHOLD) },
    model: { type: 'string' },
    json: { type: 'string' },
  },
});
const seed = Number(values.seed);
const moderationThreshold = Number(values['moderation-threshold']);
const engine = await load(values.model ?? defaultModelDir());
const rerank = await rerankTrials(engine, { trials: Number(values.rerank), candidates: 8, seed, size: 256 });
const moderationSize = 256;
const moderation = await moderationTrials(engine, {
  trials: Number(values.moderation),
  seed,
  size: moderationSize,
  threshold: moderationThreshold,
});
const classification = await classificationTrials(engine, { scenes: Number(values.scenes), seed });
const captions = await captionScoringTrials(engine, { scenes: Number(values.scenes), seed });
await engine.dispose();
const pct = (n: number, d = 1): string => `${((100 * n) / d).toFixed(1)}%`;
process.stdout.write(
  [
    `| measure | value |`,
    `| --- | --- |`,
    `| rerank: top candidate matches the prompt (${rerank.trials} trials, 8 candidates at fidelity 0.5) | ${pct(rerank.topMatches, rerank.trials)} |`,
    `| rerank: first candidate in generation order matches (chance) | ${pct(rerank.firstMatches, rerank.trials)} |`,
    `| moderation: object present → flagged (${moderation.trials} trials, threshold ${moderationThreshold}) | ${pct(moderation.flagged, moderation.trials)} |`,
    `| moderation: top region IoU ≥ 0.5 with the object's box | ${pct(moderation.localised, moderation.trials)} |`,
    `| moderation: mean IoU of the top region (flagged scenes) | ${moderation.meanIou.toFixed(3)} |`,
    `| moderation: object absent → not flagged | ${pct(moderation.trials - moderation.falseAlarms, moderation.trials)} |`,
    `| moderation: CLIP image evaluations per image (${moderationSize}×${moderationSize}), object present / absent | ${moderation.evaluationsWithObject.toFixed(1)} / ${moderation.evaluationsWithoutObject.toFixed(1)} |`,
    `| classification: held-out shape, one template (${classification.scenes} scenes) | ${pct(classification.shapeSingleTemplate)} |`,
    `| classification: held-out shape, template ensemble | ${pct(classification.shapeEnsemble)} |`,
    `| classification: ECE at the model's scale → after temperature ${classification.temperature.toFixed(2)} | ${classification.ece.toFixed(3)} → ${classification.eceCalibrated.toFixed(3)} |`,
    `| caption scoring: true caption beats the shape-altered one (${captions.pairs} pairs) | ${pct(captions.trueOverAltered)} |`,
    `| caption scoring: mean CLIPScore, true vs altered | ${captions.meanClipScoreTrue.toFixed(3)} vs ${captions.meanClipScoreAltered.toFixed(3)} |`,
  ].join('\n') + '\n',
);
if (values.json) {
  await writeFile(
    values.json,
    JSON.stringify({ rerank, moderation, classification, captions }, null, 2) + '\n',
  );
}
