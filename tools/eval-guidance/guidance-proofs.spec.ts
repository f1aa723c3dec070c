import { type ClipEngine, defaultModelDir, load } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionScoringTrials, classificationTrials } from './classification-trials.js';
import { MODERATION_THRESHOLD } from './defaults.js';
import { moderationTrials } from './moderation-trials.js';
import { rerankTrials } from './rerank-trials.js';

/**
 * The guidance proofs with the bundled model, on smaller samples than `npm run eval:guidance` (whose full
 * figures are in docs/guidance.md), with thresholds a few points under the targets.
 */
let engine: ClipEngine;
beforeAll(async () => (engine = await load(defaultModelDir())));
afterAll(() => engine.dispose());

describe('guidance with the bundled model', () => {
  it('reranks a matching candidate to the top', async () => {
    const result = await rerankTrials(engine, { trials: 60, candidates: 8, seed: 11, size: 160 });
    expect(result.trials).toBe(60);
    expect(result.topMatches / result.trials).toBeGreaterThanOrEqual(0.9);
    expect(result.topMatches).toBeGreaterThan(result.firstMatches);
  });

  it('flags a named object where it is, and leaves scenes without it alone', async () => {
    const result = await moderationTrials(engine, {
      trials: 40,
      seed: 12,
      size: 192,
      threshold: MODERATION_THRESHOLD,
    });
    // Measured on this sample: 90 % flagged, 90 % localised (target 80 %), no false alarm (target ≤ 5 %);
    // on the 100 trials of docs/guidance.md: 90 %, 90 %, none.
    expect(result.flagged / result.trials).toBeGreaterThanOrEqual(0.85);
    expect(result.localised / result.trials).toBeGreaterThanOrEqual(0.85);
    expect(result.falseAlarms / result.trials).toBeLessThanOrEqual(0.05);
  });

  it('classifies held-out shapes and scores true captions above altered ones', async () => {
    const classification = await classificationTrials(engine, { scenes: 160, seed: 13 });
    expect(classification.shapeEnsemble).toBeGreaterThanOrEqual(0.95);
    expect(classification.eceCalibrated).toBeLessThanOrEqual(classification.ece + 1e-9);
    const captions = await captionScoringTrials(engine, { scenes: 160, seed: 14 });
    expect(captions.trueOverAltered).toBeGreaterThanOrEqual(0.96);
    expect(captions.meanClipScoreTrue).toBeGreaterThan(captions.meanClipScoreAltered);
  });
});
