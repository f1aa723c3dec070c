import { readFile } from 'node:fs/promises';
import { type ClipEngine, DEFAULT_IMAGE_LIMITS, decodeRgb, dot, type RgbImage } from '#clip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePath } from '#clip/test-support';
import { bundledEngine, HAS_BUNDLED_MODEL, parityEngine } from '../test-support/engines.js';
import { DEFAULT_REFINE_OPTIONS, refineRegion } from './refine-region.js';
import { starAndCircle } from './test-support/star-and-circle.js';
import { type Box, intersectionOverUnion } from './windows.js';

const inside = (box: Box, outer: Box): boolean =>
  box.x >= outer.x &&
  box.y >= outer.y &&
  box.x + box.width <= outer.x + outer.width &&
  box.y + box.height <= outer.y + outer.height;

describe.skipIf(!HAS_BUNDLED_MODEL)('refineRegion with the bundled model, on a plain ground', () => {
  let engine: ClipEngine;
  let image: RgbImage;
  let star: Box;
  let circle: Box;
  let evidence: (embedding: Float32Array) => number;
  beforeAll(async () => {
    engine = await bundledEngine();
    const drawn = await starAndCircle();
    image = drawn.image;
    [star, circle] = drawn.boxes as [Box, Box];
    const [described, other] = await engine.embedTexts(['a red star', 'a blue circle']);
    evidence = (e) => engine.info.logitScale * (dot(e, described!) - dot(e, other!));
  });
  afterAll(() => engine.dispose());

  it('fits the box to the described object, not to the window or the other object in it', async () => {
    const window = { x: 0, y: 0, width: 256, height: 256 };
    const refined = await refineRegion(engine, image, window, evidence);
    expect(refined.method).toBe('components');
    // The window's crop, then each of the two objects erased.
    expect(refined.evaluations).toBe(3);
    expect(intersectionOverUnion(refined.box, star)).toBeGreaterThan(0.9);
    expect(intersectionOverUnion(refined.box, circle)).toBe(0);
  });

  it('follows an object past the edge of the window that cut it', async () => {
    const cut = star.x + Math.round(star.width / 2);
    const window = { x: cut, y: 0, width: 256 - cut, height: 256 };
    const refined = await refineRegion(engine, image, window, evidence);
    expect(refined.method).toBe('components');
    expect(refined.box.x).toBeLessThan(window.x);
    expect(intersectionOverUnion(refined.box, star)).toBeGreaterThan(0.9);
  });
});

describe('refineRegion on a busy picture (occlusion grid)', () => {
  let engine: ClipEngine;
  let photo: RgbImage;
  let evidence: (embedding: Float32Array) => number;
  beforeAll(async () => {
    engine = await parityEngine();
    photo = await decodeRgb(await readFile(imagePath('landscape_640x480.jpg')), DEFAULT_IMAGE_LIMITS);
    const [text] = await engine.embedTexts(['a cat']);
    evidence = (e) => engine.info.logitScale * dot(e, text!);
  });
  afterAll(() => engine.dispose());

  it('occludes 2 × 2 cells of a grid and keeps the box inside the window', async () => {
    const window = { x: 100, y: 50, width: 300, height: 300 };
    const refined = await refineRegion(engine, photo, window, evidence);
    expect(['occlusion', 'window']).toContain(refined.method);
    expect(refined.evaluations).toBe(1 + (DEFAULT_REFINE_OPTIONS.grid - 1) ** 2);
    expect(inside(refined.box, window)).toBe(true);
    expect(refined.box.width * refined.box.height).toBeGreaterThan(0);
  });

  it('keeps the window, at no cost, when the grid is turned off', async () => {
    const window = { x: 10, y: 20, width: 200, height: 200 };
    const refined = await refineRegion(engine, photo, window, evidence, {
      ...DEFAULT_REFINE_OPTIONS,
      grid: 0,
    });
    expect(refined).toEqual({ box: window, method: 'window', evaluations: 0 });
  });
});
