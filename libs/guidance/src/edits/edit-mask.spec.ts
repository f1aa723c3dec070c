import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { applyOperations } from './apply-operations.js';
import { blendMasked, featherMask, invertMask, maskFromImage, maskPng, maskRegion } from './edit-mask.js';
import { editImage } from './edit-search.js';
import { FeatureClip } from './test-support/feature-clip.js';
import { decodeRgb, redCircle, solid } from './test-support/scenes.js';

/** A mask image with the left `share` of the width white. */
async function leftMask(width: number, height: number, share: number): Promise<Buffer> {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.fill(255, y * width, y * width + Math.round(share * width));
  return sharp(data, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

describe('edit masks', () => {
  it('read a caller image as white editable, stretched to the picture, and refuse an all-black one', async () => {
    const mask = await maskFromImage(await leftMask(10, 10, 0.5), 20, 10);
    const region = maskRegion(mask)!;
    expect(region).toMatchObject({ x: 0, y: 0, height: 10 });
    expect(region.width).toBeGreaterThanOrEqual(10); // the stretched edge is half white
    expect(region.width).toBeLessThanOrEqual(11);
    await expect(maskFromImage(await leftMask(8, 8, 0), 8, 8)).rejects.toThrow(/no editable/);
  });

  it('feather an edge, invert, and round-trip through PNG', async () => {
    const inside = new Uint8Array(16 * 16);
    for (let y = 4; y < 12; y++) inside.fill(1, y * 16 + 4, y * 16 + 12);
    const mask = await featherMask(inside, 16, 16, 1);
    expect(mask.weights[8 * 16 + 8]).toBe(1);
    expect(mask.weights[0]).toBe(0);
    expect(mask.weights.some((w) => w > 0 && w < 1)).toBe(true);
    expect(invertMask(mask).weights[0]).toBe(1);
    const back = await maskFromImage((await maskPng(mask)).bytes, 16, 16);
    expect([...back.weights]).toEqual([...mask.weights]);
  });

  it('blend an edit into the picture only where the mask lets it', () => {
    const mask = { weights: Float32Array.from([1, 0.5, 0]), width: 3, height: 1 };
    const out = blendMasked(solid([0, 0, 0], 3, 1), solid([200, 100, 50], 3, 1), mask);
    expect([...out.data]).toEqual([200, 100, 50, 100, 50, 25, 0, 0, 0]);
  });

  it('confine an edit to the caller’s mask: nothing changes outside it, and the result says so', async () => {
    const { bytes } = await redCircle(64);
    const mask = await leftMask(64, 64, 0.5);
    const result = await editImage(new FeatureClip(), bytes, 'make it green', { mask });
    expect(result.area).toMatchObject({ source: 'caller', region: { x: 0, y: 0, width: 32, height: 64 } });
    expect(result.outsideChange).toBe(0);
    const [before, after] = [await decodeRgb(bytes), await decodeRgb(result.bytes)];
    for (let y = 0; y < 64; y++) {
      const row = (image: typeof before) => image.data.subarray((y * 64 + 32) * 3, (y * 64 + 64) * 3);
      expect(Buffer.compare(row(before), row(after))).toBe(0);
    }
    expect(Buffer.compare(before.data, after.data)).not.toBe(0);
    const replayed = await applyOperations(bytes, result.operations, undefined, result.area!.mask.bytes);
    expect(Buffer.compare(replayed.bytes, result.bytes)).toBe(0);
  });
});
