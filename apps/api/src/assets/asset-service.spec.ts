import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { DEFAULT_IMAGE_LIMITS, ImageInputError } from '#clip';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assetIdOf } from './asset-id.js';
import { SqlDatabase } from '../database/database.js';
import { AssetRepository } from './asset-repository.js';
import { AssetService } from './asset-service.js';
import type { AssetsOptions } from './assets-options.js';
import { CaptionRepository } from './caption-repository.js';
import { EmbeddingIndex } from './embedding-index.js';
import { EmbeddingRepository } from './embedding-repository.js';
import { FileStore } from './file-store.js';
import { image, tempDir } from './test-support/fixtures.js';

let dataDir: string;
let files: FileStore;
let database: SqlDatabase;
let service: AssetService;
beforeEach(async () => {
  dataDir = await tempDir();
  const options: AssetsOptions = {
    dataDir,
    databaseUrl: null,
    maxUploadBytes: 1 << 20,
    imageLimits: { ...DEFAULT_IMAGE_LIMITS, maxPixels: 10_000 },
  };
  files = new FileStore(join(dataDir, 'assets'));
  database = await SqlDatabase.open({ url: null, sqlitePath: join(dataDir, 'clipsmith.db') });
  service = new AssetService(
    files,
    new AssetRepository(database),
    new CaptionRepository(database),
    new EmbeddingIndex(new EmbeddingRepository(database)),
    options,
  );
});
afterEach(() => database.close());

async function storedFiles(): Promise<string[]> {
  return readdir(files.root, { recursive: true }).catch(() => []);
}

describe('AssetService', () => {
  it('stores an image: the file under its hash, the row with what the bytes say', async () => {
    const bytes = await image(1, 'jpeg', 40, 30);
    const record = await service.storeBytes(bytes, {
      source: 'generated',
      prompt: 'a dot',
      generatorId: 'sd',
      seed: 7,
    });
    expect(record).toMatchObject({
      id: assetIdOf(bytes),
      mimeType: 'image/jpeg',
      width: 40,
      height: 30,
      byteSize: bytes.length,
      source: 'generated',
      prompt: 'a dot',
      generatorId: 'sd',
      seed: 7,
    });
    expect(await readFile(files.pathOf(record.id, 'jpg'))).toEqual(bytes);
    expect(await service.get(record.id)).toEqual(record);
    const opened = await service.open(record.id);
    expect(opened?.record).toEqual(record);
    expect(await buffer(opened!.stream)).toEqual(bytes);
  });

  it('reports the size as displayed, after EXIF orientation', async () => {
    const bytes = await sharp({ create: { width: 40, height: 20, channels: 3, background: 'red' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await service.storeBytes(bytes, { source: 'uploaded' })).toMatchObject({ width: 20, height: 40 });
  });

  it('stores the same bytes once, keeping the first record', async () => {
    const bytes = await image(2);
    const first = await service.storeBytes(bytes, { source: 'generated', prompt: 'first' });
    const again = await service.storeBytes(Buffer.from(bytes), { source: 'uploaded' });
    expect(again).toEqual(first);
    expect(await storedFiles()).toHaveLength(2); // one shard folder, one file
    expect((await service.list({ first: 10 })).totalCount).toBe(1);
  });

  it('links an edit to its source and lists and captions through', async () => {
    const source = await service.storeBytes(await image(3), { source: 'generated' });
    const edit = await service.storeBytes(await image(4), {
      source: 'edited',
      editedFrom: source.id,
      scores: { d: 0.2 },
    });
    expect(edit).toMatchObject({ editedFrom: source.id, scores: { d: 0.2 } });
    expect((await service.list({ first: 10, filter: { source: 'edited' } })).items).toEqual([edit]);
    const caption = await service.addCaption(edit.id, { caption: 'bluer', clipScore: 0.3 });
    expect(await service.captions(edit.id)).toEqual([caption]);
  });

  it('finds stored assets by embedding, nearest first, within the query model only', async () => {
    const near = await service.store(
      await service.verify(await image(10)),
      { source: 'generated' },
      embedding('m', [1, 0, 0]),
    );
    const far = await service.store(
      await service.verify(await image(11)),
      { source: 'generated' },
      embedding('m', [0, 1, 0]),
    );
    await service.store(
      await service.verify(await image(12)),
      { source: 'generated' },
      embedding('other', [1, 0]),
    );
    await service.storeBytes(await image(13), { source: 'uploaded' }); // no embedding: never found
    const found = await service.nearest(embedding('m', [0.9, 0.1, 0]), 10);
    expect(found.map((m) => m.record)).toEqual([near, far]);
    expect(found[0]!.score).toBeGreaterThan(found[1]!.score);
    expect(await service.nearest(embedding('m', [0, 1, 0]), 1)).toEqual([{ record: far, score: 1 }]);
    expect((await service.nearest(embedding('unknown', [1, 0, 0]), 5)).length).toBe(0);
  });

  it('finds what an earlier process stored, read back from the database', async () => {
    const stored = await service.store(
      await service.verify(await image(14)),
      { source: 'generated' },
      embedding('m', [0, 0, 1]),
    );
    const fresh = new AssetService(
      files,
      new AssetRepository(database),
      new CaptionRepository(database),
      new EmbeddingIndex(new EmbeddingRepository(database)),
      { dataDir, databaseUrl: null, maxUploadBytes: 1 << 20, imageLimits: DEFAULT_IMAGE_LIMITS },
    );
    expect(await fresh.nearest(embedding('m', [0, 0, 1]), 1)).toEqual([{ record: stored, score: 1 }]);
  });

  it.each([
    ['text', async () => Buffer.from('hello, not an image'), 'BAD_IMAGE'],
    ['a truncated PNG', async () => (await image(5, 'png', 64, 64)).subarray(0, 100), 'BAD_IMAGE'],
    [
      'an SVG',
      async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'),
      'UNSUPPORTED_IMAGE_FORMAT',
    ],
    ['too many pixels', () => image(6, 'png', 200, 100), 'IMAGE_TOO_LARGE'],
  ])('refuses %s, storing nothing', async (_, bytes, code) => {
    const error = await service.storeBytes(await bytes(), { source: 'uploaded' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageInputError);
    expect(error).toMatchObject({ code });
    expect(await storedFiles()).toEqual([]);
    expect((await service.list({ first: 1 })).totalCount).toBe(0);
  });

  it('opens nothing for an unknown or malformed id', async () => {
    expect(await service.open('0'.repeat(64))).toBeNull();
    expect(await service.open('../../etc/passwd')).toBeNull();
    expect(await service.get('')).toBeNull();
  });
});

function embedding(modelKey: string, values: number[]): { modelKey: string; vector: Float32Array } {
  const vector = new Float32Array(values);
  const norm = Math.hypot(...values);
  return { modelKey, vector: vector.map((v) => v / norm) };
}
