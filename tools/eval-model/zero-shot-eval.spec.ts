import { type ClipEngine, defaultModelDir, load } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateOtherRenderer } from './other-renderer-eval.js';
import { evaluateZeroShot } from './zero-shot-eval.js';

/**
 * The bundled model on a smaller sample than `npm run eval:model` (see MODEL_CARD.md), with thresholds a
 * few points under what it measures there: a retrained or broken model that loses a skill fails here.
 */
let engine: ClipEngine;
beforeAll(async () => (engine = await load(defaultModelDir())));
afterAll(() => engine.dispose());

describe('the bundled model, zero-shot on held-out combinations', () => {
  it('names colour, background, shape, style, the full caption and the binding of held-out scenes', async () => {
    const result = await evaluateZeroShot(engine, {
      singleScenes: 240,
      twoObjectScenes: 200,
      seed: 77,
      renderSize: [64, 320],
    });
    expect(result.singleScenes).toBe(240);
    expect(result.twoObjectScenes).toBeGreaterThanOrEqual(150);
    expect(result.colour).toBeGreaterThanOrEqual(0.94);
    expect(result.background).toBeGreaterThanOrEqual(0.96);
    expect(result.shape).toBeGreaterThanOrEqual(0.95);
    expect(result.style).toBeGreaterThanOrEqual(0.94);
    expect(result.canonical).toBeGreaterThanOrEqual(0.92);
    expect(result.binding).toBeGreaterThanOrEqual(0.9);
  });

  it('recognises scenes drawn by another renderer', async () => {
    const result = await evaluateOtherRenderer(engine, { scenes: 200, seed: 5 });
    expect(result.colour).toBeGreaterThanOrEqual(0.82);
    expect(result.shape).toBeGreaterThanOrEqual(0.93);
  });
});
