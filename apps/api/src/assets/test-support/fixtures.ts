import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll } from 'vitest';

/** A fresh folder, removed after the file's tests. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-assets-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A real image, different for every `n`. */
export function image(n: number, format: 'png' | 'jpeg' = 'png', width = 8, height = 6): Promise<Buffer> {
  const background = { r: n % 256, g: Math.floor(n / 256) % 256, b: 200 };
  return sharp({ create: { width, height, channels: 3, background } })
    .toFormat(format)
    .toBuffer();
}
