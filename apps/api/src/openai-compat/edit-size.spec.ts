import { DEFAULT_IMAGE_LIMITS } from '#clip';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { atRequestedSize } from './edit-size.js';

const png = (width: number, height: number, background = '#d02020') =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

describe('atRequestedSize', () => {
  it('stretches the image to the size asked, as a PNG', async () => {
    const resized = await atRequestedSize(await png(64, 32), { width: 40, height: 50 }, DEFAULT_IMAGE_LIMITS);
    expect(await sharp(resized).metadata()).toMatchObject({ format: 'png', width: 40, height: 50 });
    const { data } = await sharp(resized).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)]).toEqual([0xd0, 0x20, 0x20]);
  });

  it('sizes the upright picture: an EXIF-rotated JPEG is measured as it is seen', async () => {
    const rotated = await sharp(await png(64, 32))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    // Seen 32 wide and 64 high: already the size asked.
    expect(await atRequestedSize(rotated, { width: 32, height: 64 }, DEFAULT_IMAGE_LIMITS)).toBe(rotated);
    const stretched = await atRequestedSize(rotated, { width: 32, height: 32 }, DEFAULT_IMAGE_LIMITS);
    const meta = await sharp(stretched).metadata();
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([32, 32, 1]);
  });

  it('keeps the alpha channel', async () => {
    const translucent = await sharp({
      create: { width: 8, height: 8, channels: 4, background: { r: 0, g: 0, b: 255, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    const resized = await atRequestedSize(translucent, { width: 4, height: 4 }, DEFAULT_IMAGE_LIMITS);
    const { data, info } = await sharp(resized).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.channels, ...data.subarray(0, 4)]).toEqual([4, 4, 0, 0, 255, 128]);
  });

  it('keeps the image itself at its own size, or with no size asked (auto)', async () => {
    const image = await png(16, 16);
    expect(await atRequestedSize(image, null, DEFAULT_IMAGE_LIMITS)).toBe(image);
    expect(await atRequestedSize(image, { width: 16, height: 16 }, DEFAULT_IMAGE_LIMITS)).toBe(image);
  });

  it('refuses what is not an image, or one over the pixel limit, before decoding it', async () => {
    await expect(
      atRequestedSize(Buffer.from('not an image'), { width: 8, height: 8 }, DEFAULT_IMAGE_LIMITS),
    ).rejects.toMatchObject({ code: expect.stringMatching(/BAD_IMAGE|UNSUPPORTED_IMAGE_FORMAT/) });
    const limits = { ...DEFAULT_IMAGE_LIMITS, maxPixels: 100 };
    await expect(atRequestedSize(await png(16, 16), { width: 8, height: 8 }, limits)).rejects.toMatchObject({
      code: 'IMAGE_TOO_LARGE',
    });
  });
});
