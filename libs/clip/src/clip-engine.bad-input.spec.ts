import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClipEngine, ClipError, cosineSimilarity, ImageInputError, load } from './index.js';
import { pngBomb, sampleImage } from './test-support/crafted-images.js';
import { imagePath, PARITY_MODEL } from './test-support/parity-fixture.js';

let engine: ClipEngine;
let good: Buffer;
let goodEmbedding: Float32Array;

beforeAll(async () => {
  engine = await load(PARITY_MODEL, {
    imageLimits: { maxBytes: 2_000_000, maxPixels: 4_000_000 },
    cacheBytes: 0,
  });
  good = await readFile(imagePath('landscape_640x480.jpg'));
  [goodEmbedding] = (await engine.embedImages([good])) as [Float32Array];
});
afterAll(() => engine.dispose());

/** Asserts the call fails with the code, then that the engine still embeds a good image identically. */
async function expectImageError(input: unknown, code: string, message: RegExp): Promise<void> {
  const error = await engine.embedImages([input as Uint8Array]).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageInputError);
  expect((error as ImageInputError).code).toBe(code);
  expect((error as Error).message).toMatch(message);
  const [after] = await engine.embedImages([good]);
  expect(cosineSimilarity(after!, goodEmbedding)).toBeGreaterThan(0.999999);
}

describe('bad images get a typed error and leave the engine working', () => {
  it('refuses bytes that are not an image', () =>
    expectImageError(Buffer.from('hello, I am plain text'), 'BAD_IMAGE', /not an image/));

  it('refuses empty bytes', () => expectImageError(Buffer.alloc(0), 'BAD_IMAGE', /image/));

  it('refuses a truncated JPEG', () =>
    expectImageError(good.subarray(0, Math.floor(good.length / 2)), 'BAD_IMAGE', /could not be decoded/));

  it('refuses a truncated PNG', async () => {
    const png = await readFile(imagePath('portrait_300x500.png'));
    await expectImageError(
      png.subarray(0, Math.floor(png.length * 0.6)),
      'BAD_IMAGE',
      /could not be decoded/,
    );
  });

  it('refuses a decompression bomb from its header, before decoding it', () =>
    expectImageError(pngBomb(60_000, 60_000), 'IMAGE_TOO_LARGE', /3600000000 pixels; the limit is 4000000/));

  it('refuses an image over the pixel limit', async () => {
    const big = await sharp({ create: { width: 2100, height: 2000, channels: 3, background: '#123456' } })
      .png()
      .toBuffer();
    await expectImageError(big, 'IMAGE_TOO_LARGE', /maxImagePixels/);
  });

  it('refuses an image over the byte limit', () =>
    expectImageError(Buffer.alloc(2_000_001, 7), 'IMAGE_TOO_LARGE', /2000001 bytes; the limit is 2000000/));

  it('refuses SVG, which could reference files and URLs', () =>
    expectImageError(
      Buffer.from(
        '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64"/></svg>',
      ),
      'UNSUPPORTED_IMAGE_FORMAT',
      /svg is not accepted/,
    ));

  it('refuses a path that does not exist', () =>
    expectImageError(
      { path: '/nonexistent/cat.png' },
      'BAD_IMAGE',
      /cannot read image file \/nonexistent\/cat\.png/,
    ));

  it('refuses a value of the wrong type', () =>
    expectImageError('cat.png', 'BAD_IMAGE', /bytes \(Uint8Array\), \{ path \} or \{ rgb \}/));

  it('refuses rgb pixels whose data does not match their size', () =>
    expectImageError(
      { rgb: { data: new Uint8Array(10), width: 2, height: 2 } },
      'BAD_IMAGE',
      /holds 10 bytes; 2×2×3 needs 12/,
    ));

  it('names the position of the bad image in a batch', async () => {
    const error = await engine.embedImages([good, Buffer.from('nope'), good]).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_IMAGE', index: 1 });
    expect((error as Error).message).toMatch(/^image 1: /);
  });

  it('refuses texts that are not strings', async () => {
    await expect(engine.embedTexts([42 as unknown as string])).rejects.toThrow(ClipError);
    await expect(engine.embedTexts([42 as unknown as string])).rejects.toMatchObject({ code: 'BAD_INPUT' });
    expect(await engine.embedTexts(['still fine'])).toHaveLength(1);
  });

  it('truncates a giant prompt to the context length instead of failing', async () => {
    const [ids] = engine.tokenize(['word '.repeat(5000)]);
    expect(ids).toHaveLength(77);
    expect(ids!.at(-1)).toBe(49407);
    expect(await engine.embedTexts(['word '.repeat(5000)])).toHaveLength(1);
  });
});

describe('accepted formats', () => {
  it.each(['png', 'tiff', 'webp'] as const)('%s embeds like the same pixels in PNG', async (format) => {
    const [png, other] = await engine.embedImages([await sampleImage('png'), await sampleImage(format)]);
    // WebP is lossy by default; PNG and TIFF are lossless.
    expect(cosineSimilarity(png!, other!)).toBeGreaterThan(format === 'webp' ? 0.999 : 0.999999);
  });

  it.each(['jpeg', 'avif', 'gif'] as const)('%s decodes and embeds close to the PNG', async (format) => {
    const [png, other] = await engine.embedImages([await sampleImage('png'), await sampleImage(format)]);
    expect(cosineSimilarity(png!, other!)).toBeGreaterThan(0.99);
  });

  it('embeds decoded rgb pixels exactly like the PNG that holds them', async () => {
    const png = await sampleImage('png', 150);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const [fromPng, fromPixels] = await engine.embedImages([
      png,
      { rgb: { data, width: info.width, height: info.height } },
    ]);
    expect(Array.from(fromPixels!)).toEqual(Array.from(fromPng!));
  });

  it('takes the first frame of an animated GIF', async () => {
    const frame = (colour: string): Promise<Buffer> =>
      sharp({ create: { width: 64, height: 64, channels: 3, background: colour } })
        .raw()
        .toBuffer();
    const frames = Buffer.concat([await frame('#ff0000'), await frame('#0000ff')]);
    const animated = await sharp(frames, { raw: { width: 64, height: 128, channels: 3, pageHeight: 64 } })
      .gif()
      .toBuffer();
    expect((await sharp(animated, { pages: -1 }).metadata()).pages).toBe(2);
    const red = await sharp(await frame('#ff0000'), { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toBuffer();
    const blue = await sharp(await frame('#0000ff'), { raw: { width: 64, height: 64, channels: 3 } })
      .png()
      .toBuffer();
    const [gif, redPng, bluePng] = await engine.embedImages([animated, red, blue]);
    expect(cosineSimilarity(gif!, redPng!)).toBeGreaterThan(0.9999);
    expect(cosineSimilarity(gif!, redPng!)).toBeGreaterThan(cosineSimilarity(gif!, bluePng!));
  });
});
