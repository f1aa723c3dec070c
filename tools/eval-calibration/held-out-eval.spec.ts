import { bundledModelDir, type ClipEngine, load } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateHeldOut } from './held-out-eval.js';

/**
 * The issue's proof of the bundled calibration, on fewer scenes than `npm run eval:calibration` (figures in
 * docs/guidance.md): scenes of a seed the calibration was not made from.
 */
describe('the bundled model’s calibration on held-out scenes', () => {
  let engine: ClipEngine;
  beforeAll(async () => {
    engine = await load(bundledModelDir());
  });
  afterAll(() => engine.dispose());

  it('puts ≥ 90 % of matching pairs at percentile ≥ 95 and mismatched pairs at a median of 45–55', async () => {
    const result = await evaluateHeldOut(engine, { seed: 77, scenes: 300, split: 'train' });
    expect(result.calibrationSeed).toBe(1);
    expect(result.matchingPairs).toBe(300);
    expect(result.mismatchedPairs).toBeGreaterThan(80_000);
    expect(result.matchingAtLeast95).toBeGreaterThanOrEqual(90);
    expect(result.mismatchedMedianPercentile).toBeGreaterThanOrEqual(45);
    expect(result.mismatchedMedianPercentile).toBeLessThanOrEqual(55);
    expect(result.mismatchedAtLeast95).toBeGreaterThan(2);
    expect(result.mismatchedAtLeast95).toBeLessThan(8);
  });

  it('refuses to be checked on the seed it was made from', async () => {
    await expect(evaluateHeldOut(engine, { seed: 1, scenes: 20, split: 'train' })).rejects.toThrow(
      /seed 1 is the calibration's own/,
    );
  });
});
