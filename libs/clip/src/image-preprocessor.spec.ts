import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS } from './image-probe.js';
import { ImagePreprocessor } from './image-preprocessor.js';
import { parsePreprocessConfig } from './model-config.js';
import { readModelJson } from './model-files.js';
import { imagePath, PARITY_DIR, PARITY_MODEL, referencePixels } from './test-support/parity-fixture.js';

const config = parsePreprocessConfig(await readModelJson(PARITY_MODEL, 'preprocessor_config.json', true));
const images = readdirSync(PARITY_DIR + 'images');

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe('ImagePreprocessor', () => {
  it.each(images)(
    'exact mode reproduces the reference pixel_values of %s to float rounding',
    async (name) => {
      const pixels = await new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, 'exact').pixelValues({
        path: imagePath(name),
      });
      expect(maxAbsDiff(pixels, referencePixels(name))).toBeLessThan(1e-5);
    },
  );

  it.each(images)('fast mode stays within 0.1 of the reference pixel_values of %s', async (name) => {
    const pixels = await new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, 'fast').pixelValues({
      path: imagePath(name),
    });
    expect(maxAbsDiff(pixels, referencePixels(name))).toBeLessThan(0.1);
  });

  it('replicates a greyscale image into three equal channels', async () => {
    const grey = await sharp({ create: { width: 60, height: 40, channels: 3, background: '#808080' } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect((await sharp(grey).metadata()).channels).toBe(1);
    const pixels = await new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS).pixelValues(grey);
    const plane = 224 * 224;
    const value = (c: number): number => pixels[c * plane + 1000]! * config.std![c]! + config.mean![c]!;
    for (const c of [0, 1, 2]) expect(value(c)).toBeCloseTo(128 / 255, 5);
  });

  it('applies EXIF orientation before resizing, as a phone photo is meant to be seen', async () => {
    // A 40×80 image whose top half is red, stored rotated with orientation 6 (display rotated 90° clockwise).
    const upright = await sharp({ create: { width: 40, height: 80, channels: 3, background: '#0000ff' } })
      .composite([
        { input: { create: { width: 40, height: 40, channels: 3, background: '#ff0000' } }, top: 0, left: 0 },
      ])
      .png()
      .toBuffer();
    const stored = await sharp(upright)
      .rotate(-90)
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toBuffer();
    const stats = await sharp(stored).metadata();
    expect([stats.width, stats.height, stats.orientation]).toEqual([80, 40, 6]);
    const pixels = await new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS).pixelValues(stored);
    const plane = 224 * 224;
    const red = (x: number, y: number): number => pixels[y * 224 + x]! * config.std![0]! + config.mean![0]!;
    const blue = (x: number, y: number): number =>
      pixels[2 * plane + y * 224 + x]! * config.std![2]! + config.mean![2]!;
    // Upright, the portrait is cropped to its middle square: red at the top, blue at the bottom.
    expect(red(112, 20)).toBeGreaterThan(0.9);
    expect(blue(112, 200)).toBeGreaterThan(0.9);
  });
});
