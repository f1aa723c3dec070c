import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, onTestFinished } from 'vitest';
import { SqlDatabase } from '../../database/database.js';
import { type DatabaseKind, freshDatabase } from '../../database/test-support/databases.js';
import { assetIdOf } from '../asset-id.js';
import type { NewAsset } from '../asset-record.js';

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

/** Row fields of an asset that was never a file: enough for repository tests. */
export function newAsset(overrides: Partial<NewAsset> = {}): NewAsset {
  return {
    id: assetIdOf(randomBytes(16)),
    mimeType: 'image/png',
    width: 64,
    height: 48,
    byteSize: 1234,
    source: 'generated',
    ...overrides,
  };
}

/** The databases every repository spec runs against. */
export const DATABASE_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

/** A fresh, migrated database of the kind, closed after the test. */
export async function testDatabase(kind: DatabaseKind = 'sqlite'): Promise<SqlDatabase> {
  const database = await SqlDatabase.open(await freshDatabase(kind));
  onTestFinished(() => database.close());
  return database;
}
