import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageKey, sha256Key } from './embedding-cache.js';
import {
  type ClipEngine,
  DEFAULT_IMAGE_LIMITS,
  IMAGE_DECODE_CHANNEL,
  type ImageDecodeEvent,
  ImageInputError,
  load,
  verifiedFromPixels,
  verifyImage,
} from './index.js';
import { sampleImage } from './test-support/crafted-images.js';
import { imagePath, PARITY_MODEL } from './test-support/parity-fixture.js';

let engine: ClipEngine;
beforeAll(async () => {
  engine = await load(PARITY_MODEL, { cacheBytes: 0 });
});
afterAll(() => engine.dispose());

/** The stages of the decodes `work` made. */
async function decodesDuring(work: () => Promise<unknown>): Promise<string[]> {
  const stages: string[] = [];
  const onDecode = (event: unknown): void => void stages.push((event as ImageDecodeEvent).stage);
  subscribe(IMAGE_DECODE_CHANNEL, onDecode);
  try {
    await work();
  } finally {
    unsubscribe(IMAGE_DECODE_CHANNEL, onDecode);
  }
  return stages;
}

describe('verifyImage', () => {
  it.each(['landscape_640x480.jpg', 'portrait_300x500.png', 'rgba_256.png', 'tiny_31x17.png'])(
    'gives %s the embedding its bytes give, bit for bit, with the one decode it made',
    async (name) => {
      const bytes = await readFile(imagePath(name));
      let verified!: Awaited<ReturnType<typeof verifyImage>>;
      expect(
        await decodesDuring(async () => (verified = await verifyImage(bytes, DEFAULT_IMAGE_LIMITS))),
      ).toEqual(['verify']);
      const fromBytes = await engine.embedImages([bytes]);
      const fromVerified: Float32Array[] = [];
      expect(
        await decodesDuring(async () => fromVerified.push(...(await engine.embedImages([verified])))),
      ).toEqual([]);
      expect(Array.from(fromVerified[0]!)).toEqual(Array.from(fromBytes[0]!));
      expect(sha256Key(verified.sha256)).toBe(imageKey(bytes));
    },
  );

  it('keeps alpha aside and reports the upright size of an EXIF-rotated JPEG', async () => {
    const rgba = await verifyImage(await readFile(imagePath('rgba_256.png')), DEFAULT_IMAGE_LIMITS);
    expect(rgba.hasAlpha).toBe(true);
    expect(rgba.pixels.alpha).toHaveLength(256 * 256);
    expect(rgba.pixels.rgb.data).toHaveLength(256 * 256 * 3);
    const rotated = await sharp(await sampleImage('jpeg', 40))
      .resize(40, 20, { fit: 'fill' })
      .withMetadata({ orientation: 6 })
      .jpeg()
      .toBuffer();
    const verified = await verifyImage(rotated, DEFAULT_IMAGE_LIMITS);
    expect(verified).toMatchObject({ orientation: 6, width: 20, height: 40, format: 'jpeg' });
    expect(verified.pixels.rgb).toMatchObject({ width: 20, height: 40 });
  });

  it('refuses a truncated image and one over the byte limit', async () => {
    const png = await sampleImage('png', 64);
    const truncated = verifyImage(png.subarray(0, png.length - 200), DEFAULT_IMAGE_LIMITS);
    await expect(truncated).rejects.toBeInstanceOf(ImageInputError);
    const tooBig = verifyImage(png, { ...DEFAULT_IMAGE_LIMITS, maxBytes: 100 });
    await expect(tooBig).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });

  it('verifies a PNG made here from its own pixels without decoding it, as decoding it would', async () => {
    const source = await verifyImage(await sampleImage('png', 32), DEFAULT_IMAGE_LIMITS);
    const png = await sharp(source.pixels.rgb.data, { raw: { width: 32, height: 32, channels: 3 } })
      .png()
      .toBuffer();
    const made = verifiedFromPixels(png, 'png', source.pixels);
    const decoded = await verifyImage(png, DEFAULT_IMAGE_LIMITS);
    expect({ ...made, pixels: null }).toEqual({ ...decoded, pixels: null });
    expect(Buffer.from(made.pixels.rgb.data).equals(Buffer.from(decoded.pixels.rgb.data))).toBe(true);
  });
});
