import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledModelDir } from '../bundled-model.js';
import { ClipEngine } from '../clip-engine.js';
import { imagePath, PARITY_MODEL } from '../test-support/parity-fixture.js';
import {
  type Calibration,
  CALIBRATION_FORMAT,
  parseCalibration,
  percentileOf,
  quantiles,
  readCalibration,
  shareBelow,
} from './calibration.js';

const calibration = (mismatched: number[]): Calibration => ({
  format: CALIBRATION_FORMAT,
  model: { id: 'test', dtype: 'fp32' },
  source: { kind: 'folder', folder: 'pairs' },
  counts: { matching: 2, mismatched: mismatched.length, mismatchedImages: mismatched.length },
  matching: [0.5, 0.6],
  mismatched,
  mismatchedImages: mismatched.map((s) => s / 2),
});

describe('quantiles and shares', () => {
  it('keeps evenly spaced quantiles, interpolated', () => {
    const values = Float64Array.from({ length: 101 }, (_, i) => (100 - i) / 100);
    expect(quantiles(values, 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(quantiles(Float64Array.from([0, 1]), 4)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('reads a share back from quantiles, clamped to 0–100', () => {
    const q = [0, 0.25, 0.5, 0.75, 1];
    expect(shareBelow(q, 0.1)).toBe(10);
    expect(shareBelow(q, 0.6)).toBe(60);
    expect(shareBelow(q, -1)).toBe(0);
    expect(shareBelow(q, 2)).toBe(100);
  });

  it('gives a value tied with a run of quantiles the middle of the run', () => {
    expect(shareBelow([0, 0.2, 0.2, 0.2, 1], 0.2)).toBe(50);
    expect(shareBelow([0, 0.2, 0.2, 0.2, 1], 0.6)).toBe(87.5);
  });

  it('is null without a calibration', () => {
    expect(percentileOf(null, 0.3)).toBeNull();
    expect(percentileOf(calibration([0, 0.25, 0.5, 0.75, 1]), 0.3)).toBe(30);
    expect(percentileOf(calibration([0, 0.25, 0.5, 0.75, 1]), 0.3, 'image-image')).toBe(60);
  });
});

describe('calibration.json', () => {
  it('is absent from a folder without one: the engine reports percentiles as null', async () => {
    expect(await readCalibration(PARITY_MODEL)).toBeNull();
    const engine = await ClipEngine.load(PARITY_MODEL);
    try {
      expect(engine.info.calibration).toBeNull();
      const scores = await engine.classify({ path: imagePath('square_224.png') }, ['a cat', 'a dog']);
      expect(scores.map((s) => s.percentile)).toEqual([null, null]);
    } finally {
      await engine.dispose();
    }
  });

  it('ships with the bundled model, made from procedural scenes', async () => {
    const engine = await ClipEngine.load(bundledModelDir());
    try {
      const shipped = engine.info.calibration!;
      expect(shipped.model).toEqual({ id: 'clipsmith-scenes', dtype: 'fp32' });
      expect(shipped.source).toEqual({ kind: 'procedural', seed: 1, scenes: 2000 });
      expect(shipped.counts.matching).toBe(2000);
      expect(shipped.mismatched).toHaveLength(1001);
      expect(shipped.mismatchedImages).toHaveLength(1001);
      expect(percentileOf(shipped, shipped.mismatched[500]!)).toBe(50);
    } finally {
      await engine.dispose();
    }
  });

  it('rejects a malformed file, naming it and how to remake it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'clipsmith-calibration-'));
    const path = join(dir, 'calibration.json');
    await writeFile(path, JSON.stringify({ ...calibration([0.3, 0.1]) }));
    await expect(readCalibration(dir)).rejects.toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(
        /calibration\.json is not a calibration: "mismatched" must be at least two ascending numbers.*calibrate/,
      ),
    });
    expect(() => parseCalibration('{', path)).toThrow(/is not a calibration/);
    expect(() => parseCalibration('{"format":"other"}', path)).toThrow(/"format" must be/);
  });
});
