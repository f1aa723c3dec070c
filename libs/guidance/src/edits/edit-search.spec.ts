import { readFileSync } from 'node:fs';
import { type ClipEngine, load } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARITY_MODEL } from '#clip/test-support';
import type { ClipPort } from '../clip-port.js';
import { DEFAULT_CRITERIA } from './edit-scores.js';
import { changeWithin } from './delta-e.js';
import { DISTINCT_DELTA_E } from './distinct-edits.js';
import { EDIT_DEFAULTS, type EditChoice, editImage, type EditResult } from './edit-search.js';
import { applyOperations } from './apply-operations.js';
import { EditOperationError } from './operator-registry.js';
import { FeatureClip } from './test-support/feature-clip.js';
import { channelMeans, decodeRgb, edgeEnergy, PARITY_DIR, redCircle } from './test-support/scenes.js';

const photoJpeg = readFileSync(PARITY_DIR + 'images/landscape_640x480.jpg');
let circle: Uint8Array;

beforeAll(async () => {
  circle = (await redCircle(192)).bytes;
});

/** Every image a search embeds goes through here, so the count cannot be taken on trust. */
function counting(clip: ClipPort): ClipPort & { images: number } {
  const counted = {
    images: 0,
    info: clip.info,
    embedTexts: (texts: readonly string[]) => clip.embedTexts(texts),
    embedImages: (images: Parameters<ClipPort['embedImages']>[0]) => {
      counted.images += images.length;
      return clip.embedImages(images);
    },
  };
  return counted;
}

function expectHonest(result: EditResult, floor: number, threshold: number): void {
  expect(result.accepted).toBe(
    result.operations.length > 0 && result.directionalSimilarity >= threshold && result.preservation >= floor,
  );
  expect(result.preservation).toBeGreaterThanOrEqual(floor);
  for (const step of result.steps) expect(step.keepsImage).toBe(step.preservation >= floor);
}

describe('editImage (on a CLIP whose axes are pixel statistics)', () => {
  it('turns a red circle green and says it did', async () => {
    const result = await editImage(new FeatureClip(), circle, 'make it green');
    expectHonest(result, DEFAULT_CRITERIA.preservationFloor, DEFAULT_CRITERIA.acceptThreshold);
    expect(result.accepted).toBe(true);
    const [r0, g0] = channelMeans(await decodeRgb(circle));
    const [r1, g1] = channelMeans(await decodeRgb(result.bytes));
    expect(g1 - r1).toBeGreaterThan(g0 - r0 + 30);
    expect(result).toMatchObject({ mimeType: 'image/png', width: 192, height: 192, rule: 'recolour' });
  });

  it('blurs when asked, with an operator that blurs', async () => {
    const result = await editImage(new FeatureClip(), circle, 'blurred', { compose: false });
    expect(result.accepted).toBe(true);
    expect(result.operations.map((o) => o.name)).toEqual([expect.stringMatching(/blur/)]);
    expect(edgeEnergy(await decodeRgb(result.bytes))).toBeLessThan(0.5 * edgeEnergy(await decodeRgb(circle)));
  });

  it('reports an impossible instruction as not accepted and leaves the image as it was', async () => {
    // No edit of pixels moves the `cat` and `dog` axes: every direction is orthogonal to the text's.
    const result = await editImage(new FeatureClip(), circle, 'turn the cat into a dog', {
      sourceText: 'a picture of a cat',
      targetText: 'a picture of a dog',
    });
    for (const step of result.steps) expect(Math.abs(step.directionalSimilarity)).toBeLessThan(1e-6);
    expect(result).toMatchObject({
      accepted: false,
      operations: [],
      preservation: 1,
      directionalSimilarity: 0,
    });
    expect(Buffer.compare(result.bytes, circle)).toBe(0);
  });

  it.each([4, 7, 16, 48, 80])('never spends more than a budget of %i evaluations', async (budget) => {
    const clip = counting(new FeatureClip());
    const result = await editImage(clip, circle, 'make it green', { budget });
    expect(result.evaluations + result.localisationEvaluations).toBe(clip.images);
    expect(result.evaluations).toBeLessThanOrEqual(budget);
    expect(result.steps.filter((s) => s.evaluated).length + 1).toBe(result.evaluations);
    if (budget >= 16) expect(result.evaluations).toBeGreaterThan(budget - 4);
  });

  it('never chooses an edit under the preservation floor', async () => {
    for (const preservationFloor of [0.5, 0.9, 0.99, 1]) {
      const result = await editImage(new FeatureClip(), circle, 'make it green', { preservationFloor });
      expectHonest(result, preservationFloor, DEFAULT_CRITERIA.acceptThreshold);
      if (preservationFloor === 1) expect(result.operations).toEqual([]);
    }
    const loose = await editImage(new FeatureClip(), circle, 'make it green', { preservationFloor: 0.5 });
    const strict = await editImage(new FeatureClip(), circle, 'make it green', { preservationFloor: 0.95 });
    expect(strict.preservation).toBeGreaterThan(loose.preservation);
  });

  it('searches on a small copy and applies the chain at full size, replayable to the same bytes', async () => {
    const clip = counting(new FeatureClip());
    const result = await editImage(clip, photoJpeg, 'blurred', { budget: 20 });
    expect(result).toMatchObject({ mimeType: 'image/jpeg', width: 640, height: 480, accepted: true });
    expect(result.evaluations + result.localisationEvaluations).toBe(clip.images);
    const replayed = await applyOperations(photoJpeg, result.operations, undefined, result.area?.mask.bytes);
    expect(Buffer.compare(replayed.bytes, result.bytes)).toBe(0);
  });

  it('keeps to the allowed operators', async () => {
    const result = await editImage(new FeatureClip(), circle, 'make it green', {
      operators: ['invert', 'gamma'],
    });
    for (const step of result.steps) {
      for (const o of step.operations) expect(['invert', 'gamma']).toContain(o.name);
    }
    await expect(editImage(new FeatureClip(), circle, 'x', { operators: ['blurr'] })).rejects.toBeInstanceOf(
      EditOperationError,
    );
  });

  it('answers alternatives that look clearly different, each checked at full size, accepted first', async () => {
    const clip = counting(new FeatureClip());
    const single = await editImage(new FeatureClip(), circle, 'make it green');
    const result = await editImage(clip, circle, 'make it green', { alternatives: 3 });
    const edits: EditChoice[] = [result, ...result.alternatives];
    expect(edits).toHaveLength(4);
    expect(result.operations).toEqual(single.operations); // accepted at once: the same winner
    expect(result.evaluations + result.localisationEvaluations).toBe(clip.images);
    expect(result.evaluations).toBeLessThanOrEqual(EDIT_DEFAULTS.budget);
    const finals = result.steps.filter((s) => s.stage === 'final').map((s) => s.operations);
    const pixels = await Promise.all(edits.map((e) => decodeRgb(e.bytes)));
    for (const [i, edit] of edits.entries()) {
      expect(finals).toContainEqual(edit.operations);
      expect(edit.accepted).toBe(
        edit.directionalSimilarity >= DEFAULT_CRITERIA.acceptThreshold &&
          edit.preservation >= DEFAULT_CRITERIA.preservationFloor,
      );
      const replayed = await applyOperations(circle, edit.operations);
      expect(Buffer.compare(replayed.bytes, edit.bytes)).toBe(0);
      for (const other of pixels.slice(0, i)) {
        expect(changeWithin(other, pixels[i]!, null)).toBeGreaterThanOrEqual(DISTINCT_DELTA_E);
      }
    }
    const accepted = edits.map((e) => e.accepted);
    expect(accepted).toEqual([...accepted].sort((a, b) => Number(b) - Number(a)));
    expect(single.alternatives).toEqual([]);
  });

  it('answers fewer alternatives when fewer edits are eligible, and the unedited image alone when none is', async () => {
    const few = await editImage(new FeatureClip(), circle, 'make it green', {
      operators: ['invert', 'gamma'],
      alternatives: 9,
    });
    expect(few.alternatives.length).toBeLessThan(9);
    const none = await editImage(new FeatureClip(), circle, 'make it green', {
      preservationFloor: 1,
      alternatives: 2,
    });
    expect(none).toMatchObject({ operations: [], accepted: false, alternatives: [] });
  });

  it('refuses budgets too small to search and bad settings', async () => {
    await expect(editImage(new FeatureClip(), circle, 'x', { budget: 2 })).rejects.toThrow(/at least 3/);
    await expect(editImage(new FeatureClip(), photoJpeg, 'x', { budget: 3 })).rejects.toThrow(/at least 4/);
    await expect(editImage(new FeatureClip(), circle, 'x', { budget: 4, alternatives: 2 })).rejects.toThrow(
      /at least 5 for this image and 3 edits/,
    );
    await expect(editImage(new FeatureClip(), circle, 'x', { alternatives: -1 })).rejects.toThrow(
      /alternatives/,
    );
    await expect(editImage(new FeatureClip(), circle, 'x', { workingSize: 8 })).rejects.toThrow(
      /workingSize/,
    );
    await expect(editImage(new FeatureClip(), circle, 'x', { preservationFloor: 2 })).rejects.toThrow(
      /preservationFloor/,
    );
  });
});

describe('editImage (on the random-weight fixture model: mechanics only)', () => {
  let engine: ClipEngine;
  beforeAll(async () => {
    engine = await load(PARITY_MODEL, { intraOpNumThreads: 1 });
  });
  afterAll(() => engine?.dispose());

  it('runs through a real engine within budget, honestly, replayably', async () => {
    const clip = counting(engine);
    const result = await editImage(clip, photoJpeg, 'make it purple', { budget: 24 });
    expect(result.evaluations + result.localisationEvaluations).toBe(clip.images);
    expect(result.evaluations).toBeLessThanOrEqual(24);
    expectHonest(result, DEFAULT_CRITERIA.preservationFloor, DEFAULT_CRITERIA.acceptThreshold);
    for (const step of result.steps) {
      for (const v of [step.directionalSimilarity, step.preservation, step.targetSimilarity]) {
        expect(Number.isFinite(v)).toBe(true);
      }
    }
    const replayed = await applyOperations(photoJpeg, result.operations, undefined, result.area?.mask.bytes);
    expect(Buffer.compare(replayed.bytes, result.bytes)).toBe(0);
  });
});
