import { type ClipEngine } from '#clip';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePath } from '../../../clip/src/test-support/parity-fixture.js';
import { parityEngine } from '../test-support/engines.js';
import { moderate } from './moderate.js';

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
    for (const rule of result.rules) {
      expect(rule.score).toBeGreaterThanOrEqual(rule.imageScore);
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
