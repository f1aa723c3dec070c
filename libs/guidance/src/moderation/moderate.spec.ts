import { type ClipEngine } from '#clip';
import { procedural } from '#generators';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePath } from '#clip/test-support';
import { bundledEngine, HAS_BUNDLED_MODEL, parityEngine } from '../test-support/engines.js';
import { moderate } from './moderate.js';
import type { ModerationRule } from './policy.js';
import { intersectionOverUnion } from './windows.js';

const { COLOURS, SHAPES, realizeScene, renderScene } = procedural;

let engine: ClipEngine;
let photo: Buffer;
beforeAll(async () => {
  engine = await parityEngine();
  photo = await sharp(imagePath('landscape_640x480.jpg')).toBuffer();
});
afterAll(() => engine.dispose());

describe('moderate (mechanics)', () => {
  it('scores every rule over the image and its windows, with regions inside the image and a heat map', async () => {
    const result = await moderate(engine, photo, {
      rules: [
        { name: 'always', description: 'a cat', threshold: 0 },
        { name: 'never', description: 'a dog', counterDescriptions: ['a puppy'], threshold: 1 },
      ],
    });
    // The whole image, then 4×3 windows of 288 px, 6×4 of 192 px and 10×7 of 120 px, at half-window steps.
    expect(result.windows).toBe(1 + 12 + 24 + 70);
    const [always, never] = result.rules;
    expect(always).toMatchObject({ name: 'always', flagged: true, threshold: 0 });
    expect(never).toMatchObject({ name: 'never', flagged: false, threshold: 1 });
    expect(result.flagged).toBe(true);
    // The windows, then candidate windows localised (the photograph has no plain ground: a 6 × 6
    // occlusion grid, 26 evaluations) and confirmed in 5 views each: one for the rule at threshold 0, which
    // its first candidate reaches, two for the rule at threshold 1, which none does.
    expect(result.evaluations).toBe(result.windows + 3 * (26 + 5));
    for (const rule of result.rules) {
      expect(rule.windowScore).toBeGreaterThanOrEqual(rule.imageScore);
      expect(rule.regions.length).toBeGreaterThan(0);
      expect(rule.regions[0]!.score).toBe(rule.score);
      for (const r of rule.regions) {
        expect(r.x + r.width).toBeLessThanOrEqual(640);
        expect(r.y + r.height).toBeLessThanOrEqual(480);
      }
    }
    const meta = await sharp(result.heatmap.png).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 512, 384]);
    expect(result.heatmap.rule).toBe(always!.score >= never!.score ? 'always' : 'never');
  });

  it('counts the baseline as one competitor, however many phrasings it has', async () => {
    const rules = [{ name: 'cat', description: 'a cat', counterDescriptions: ['a dog'] }];
    const options = { scales: [0.5], maxCandidates: 0 };
    const once = await moderate(engine, photo, { rules, baseline: ['a photo'] }, options);
    const thrice = await moderate(
      engine,
      photo,
      { rules, baseline: ['a photo', 'a photo', 'a photo'] },
      options,
    );
    expect(thrice.rules[0]!.windowScore).toBeCloseTo(once.rules[0]!.windowScore, 6);
    expect(thrice.evaluations).toBe(thrice.windows);
  });

  it('validates the policy before any model work', async () => {
    await expect(moderate(engine, photo, { rules: [] })).rejects.toThrow('at least one rule');
    await expect(moderate(engine, photo, { rules: [{ name: 'a', description: ' ' }] })).rejects.toThrow(
      'rules[0].description must not be empty',
    );
    await expect(
      moderate(engine, photo, { rules: [{ name: 'a', description: 'x', threshold: 2 }] }),
    ).rejects.toThrow('rules[0].threshold must be between 0 and 1');
  });

  it("refuses what is not an image with the engine's typed error", async () => {
    await expect(
      moderate(engine, Buffer.from('nope'), { rules: [{ name: 'a', description: 'x' }] }),
    ).rejects.toMatchObject({
      code: 'BAD_IMAGE',
    });
  });
});

describe.skipIf(!HAS_BUNDLED_MODEL)('moderate with the bundled model', () => {
  let bundled: ClipEngine;
  beforeAll(async () => (bundled = await bundledEngine()));
  afterAll(() => bundled.dispose());

  /** A rule as a policy author writes it: the object, and its near misses as what is fine. */
  const rule = (colour: procedural.Colour, shape: procedural.Shape): ModerationRule => ({
    name: `${colour} ${shape}`,
    description: `a ${colour} ${shape}`,
    counterDescriptions: [
      ...COLOURS.filter((c) => c !== colour).map((c) => `a ${c} ${shape}`),
      ...SHAPES.filter((s) => s !== shape).map((s) => `a ${colour} ${s}`),
    ],
  });
  const render = (request: procedural.SceneRequest, seed: number) =>
    renderScene(realizeScene({ style: 'plain', ...request }, { seed, fidelity: 1 }), {
      width: 256,
      height: 256,
    });

  it("flags the named object and returns the object's own box as the top region", async () => {
    for (let seed = 1; seed <= 5; seed++) {
      const scene = await render(
        {
          objects: [
            { colour: 'red', shape: 'star' },
            { colour: 'blue', shape: 'circle' },
          ],
        },
        seed,
      );
      const [decision] = (await moderate(bundled, scene.bytes, { rules: [rule('red', 'star')] })).rules;
      expect(decision!.flagged).toBe(true);
      expect(intersectionOverUnion(decision!.regions[0]!, scene.boxes[0]!)).toBeGreaterThan(0.8);
    }
  });

  it('does not flag windows that fire on a patch of the named colour when no view of an object agrees', async () => {
    let fired = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const scene = await render(
        {
          objects: [
            { colour: 'blue', shape: 'circle' },
            { colour: 'yellow', shape: 'cross' },
          ],
          background: 'red',
        },
        seed,
      );
      const [decision] = (await moderate(bundled, scene.bytes, { rules: [rule('red', 'diamond')] })).rules;
      if (decision!.windowScore >= decision!.threshold) fired++;
      expect(decision!.flagged).toBe(false);
    }
    // A red ground cut into windows looks like red shapes: some window fires, and confirmation overrules it.
    expect(fired).toBeGreaterThan(0);
  });
});
