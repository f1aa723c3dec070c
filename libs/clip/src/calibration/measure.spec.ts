import { describe, expect, it } from 'vitest';
import type { ImageInput } from '../image-probe.js';
import { type CalibrationModel, type CalibrationPair, measureCalibration } from './measure.js';

/** A model whose image and text embeddings are one-hot in the group's axis: cosine 1 within a group, 0 across. */
function oneHotModel(groups: number): CalibrationModel & { imageCalls: number[] } {
  const axis = (k: number): Float32Array =>
    Float32Array.from({ length: groups }, (_, i) => (i === k ? 1 : 0));
  const imageCalls: number[] = [];
  return {
    imageCalls,
    embedImages: (images: readonly ImageInput[]) => {
      imageCalls.push(images.length);
      return Promise.resolve(images.map((image) => axis((image as Uint8Array)[0]!)));
    },
    embedTexts: (texts: readonly string[]) =>
      Promise.resolve(texts.map((t) => axis(Number(t.split(' ')[1])))),
  };
}

const pairs = (count: number, groups: number): CalibrationPair[] =>
  Array.from({ length: count }, (_, i) => ({
    image: Uint8Array.of(i % groups),
    caption: `group ${i % groups} caption ${i}`,
    group: String(i % groups),
  }));

const options = { model: { id: 'one-hot', dtype: 'fp32' }, source: { kind: 'folder', folder: 'x' } } as const;

describe('measureCalibration', () => {
  it('never counts a pair of the same group as mismatched', async () => {
    const model = oneHotModel(10);
    const calibration = await measureCalibration(model, pairs(60, 10), { ...options, chunkSize: 25 });
    expect(model.imageCalls).toEqual([25, 25, 10]);
    // Each image against the 59 others, less the 5 of its own group.
    expect(calibration.counts).toEqual({ matching: 60, mismatched: 60 * 54, mismatchedImages: 60 * 54 });
    expect(new Set(calibration.matching)).toEqual(new Set([1]));
    expect(new Set(calibration.mismatched)).toEqual(new Set([0]));
    expect(new Set(calibration.mismatchedImages)).toEqual(new Set([0]));
  });

  it('compares each image with at most mismatchedPerImage others', async () => {
    const calibration = await measureCalibration(oneHotModel(60), pairs(60, 60), {
      ...options,
      mismatchedPerImage: 7,
    });
    expect(calibration.counts.mismatched).toBe(60 * 7);
    expect(calibration.counts.mismatchedImages).toBe(60 * 7);
  });

  it('refuses too few pairs, or pairs that are all one group', async () => {
    await expect(measureCalibration(oneHotModel(5), pairs(19, 5), options)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringContaining('at least 20 image–caption pairs, got 19'),
    });
    await expect(measureCalibration(oneHotModel(1), pairs(30, 1), options)).rejects.toThrow(
      /no mismatched pairs/,
    );
  });
});
