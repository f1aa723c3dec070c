import { randomBytes } from 'node:crypto';
import sharp from 'sharp';

export interface TestImage {
  bytes: Buffer;
  mimeType: string;
}

/** Distinguishable solid colours, one per image of a batch. */
const COLOURS = [
  { r: 200, g: 40, b: 40 },
  { r: 40, g: 160, b: 60 },
  { r: 40, g: 70, b: 200 },
  { r: 220, g: 200, b: 40 },
] as const;

/** A small real image in one of the test colours. */
export async function solidImage(format: 'png' | 'jpeg', index = 0, size = 64): Promise<TestImage> {
  const background = COLOURS[index % COLOURS.length]!;
  const bytes = await sharp({ create: { width: size, height: size, channels: 3, background } })
    .toFormat(format)
    .toBuffer();
  return { bytes, mimeType: `image/${format}` };
}

/** Four real images of distinct colours. */
export function imageBatch(format: 'png' | 'jpeg'): Promise<TestImage[]> {
  return Promise.all(COLOURS.map((_, i) => solidImage(format, i)));
}

/** A real PNG of noise, which does not compress: over 3 · size² bytes. */
export async function largePng(size = 256): Promise<TestImage> {
  const bytes = await sharp(randomBytes(size * size * 3), { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
  return { bytes, mimeType: 'image/png' };
}

/** Text that claims to be a PNG: the plugins pass it on as claimed; the fan-out refuses it. */
export const NOT_AN_IMAGE: TestImage = {
  bytes: Buffer.from('this is plain text, not an image'),
  mimeType: 'image/png',
};
