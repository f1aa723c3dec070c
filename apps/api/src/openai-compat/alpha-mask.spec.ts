import { DEFAULT_IMAGE_LIMITS } from '#clip';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { editableFromAlpha } from './alpha-mask.js';

/** A 4×2 RGBA PNG: the left half transparent, the right half opaque. */
async function halfTransparent(): Promise<Buffer> {
  const rgba = Buffer.alloc(4 * 2 * 4, 255);
  for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) rgba[(y * 4 + x) * 4 + 3] = 0;
  return sharp(rgba, { raw: { width: 4, height: 2, channels: 4 } })
    .png()
    .toBuffer();
}

const greyOf = (png: Buffer): Promise<Buffer> => sharp(png).toColourspace('b-w').raw().toBuffer();

describe('editableFromAlpha', () => {
  it('turns transparent pixels white (editable) and opaque ones black (kept)', async () => {
    const mask = await editableFromAlpha(await halfTransparent(), DEFAULT_IMAGE_LIMITS);
    expect(await sharp(mask).metadata()).toMatchObject({ format: 'png', width: 4, height: 2, channels: 1 });
    const data = await greyOf(mask);
    expect([...data]).toEqual([255, 255, 0, 0, 255, 255, 0, 0]);
  });

  it('reads grey-with-alpha PNGs too', async () => {
    const greyAlpha = Buffer.from([0, 0, 0, 255]);
    const png = await sharp(greyAlpha, { raw: { width: 2, height: 1, channels: 2 } })
      .png()
      .toBuffer();
    const mask = await editableFromAlpha(png, DEFAULT_IMAGE_LIMITS);
    expect([...(await greyOf(mask))]).toEqual([255, 0]);
  });

  it('refuses a mask without alpha, or with nothing transparent, naming the mask', async () => {
    const opaque = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    await expect(editableFromAlpha(opaque, DEFAULT_IMAGE_LIMITS)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      param: 'mask',
      message: expect.stringMatching(/alpha channel/),
    });
    const solid = await sharp({
      create: { width: 4, height: 4, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 1 } },
    })
      .png()
      .toBuffer();
    await expect(editableFromAlpha(solid, DEFAULT_IMAGE_LIMITS)).rejects.toMatchObject({
      param: 'mask',
      message: expect.stringMatching(/no transparent pixels/),
    });
  });

  it('refuses what is not an image', async () => {
    await expect(editableFromAlpha(Buffer.from('not a png'), DEFAULT_IMAGE_LIMITS)).rejects.toMatchObject({
      code: expect.stringMatching(/BAD_IMAGE|UNSUPPORTED_IMAGE_FORMAT/),
    });
  });
});
