/**
 * The benchmark model and image set, made on demand under .bench-model/ (git-ignored): `npm run bench:model`
 * (bench/make-model.ts) writes the random-weight CLIP (tools/bench-model/export-model.ts, no Python) and
 * quantises it to signed int8 with the engine's own quantiser, unless they are already there.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quantizeModelFolder } from '#clip';
import { exportClip } from '../tools/bench-model/export-model.js';
import { photoJpegs } from './images.js';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const WORK_DIR = join(ROOT, '.bench-model');
export const MODEL_DIR = join(WORK_DIR, 'clip-vit-base-patch32-random');

export async function ensureModel(): Promise<string> {
  const onnx = (name: string): string => join(MODEL_DIR, 'onnx', name);
  if (!existsSync(onnx('vision_model.onnx')) || !existsSync(onnx('text_model.onnx'))) {
    console.error(`bench: writing the benchmark model to ${MODEL_DIR} (about half a minute)`);
    await exportClip({ out: MODEL_DIR });
  }
  if (!existsSync(onnx('vision_model_int8.onnx')) || !existsSync(onnx('text_model_int8.onnx'))) {
    console.error('bench: quantising it to signed int8');
    await quantizeModelFolder(MODEL_DIR);
  }
  return MODEL_DIR;
}

/** `count` photo-like JPEGs of `size` × `size` in .bench-model/images/<size>/, made once. */
export async function ensureImages(size: number, count: number): Promise<string[]> {
  const dir = join(WORK_DIR, 'images', String(size));
  await mkdir(dir, { recursive: true });
  const have = new Set(await readdir(dir));
  const paths = Array.from({ length: count }, (_, i) => join(dir, `${String(i).padStart(4, '0')}.jpg`));
  for (let i = 0; i < count; i++) {
    if (have.has(`${String(i).padStart(4, '0')}.jpg`)) continue;
    const [jpeg] = await photoJpegs(1, size, size * 100_000 + i);
    await writeFile(paths[i]!, jpeg!);
  }
  return paths;
}

export async function readAll(paths: readonly string[]): Promise<Buffer[]> {
  return Promise.all(paths.map((p) => readFile(p)));
}
