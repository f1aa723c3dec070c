import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { DEFAULT_IMAGE_LIMITS, ImageInputError } from '#clip';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assetIdOf } from './asset-id.js';
import { AssetRepository } from './asset-repository.js';
import { AssetService } from './asset-service.js';
import type { AssetsOptions } from './assets-options.js';
import { FileStore } from './file-store.js';
import { image, tempDir } from './test-support/fixtures.js';

let dataDir: string;
let files: FileStore;
let repository: AssetRepository;
let service: AssetService;
beforeEach(async () => {
  dataDir = await tempDir();
  const options: AssetsOptions = {
    dataDir,
    maxUploadBytes: 1 << 20,
    imageLimits: { ...DEFAULT_IMAGE_LIMITS, maxPixels: 10_000 },
  };
  files = new FileStore(join(dataDir, 'assets'));
  repository = new AssetRepository(join(dataDir, 'clipsmith.db'));
  service = new AssetService(files, repository, options);
});
afterEach(() => repository.close());

async function storedFiles(): Promise<string[]> {
  return readdir(files.root, { recursive: true }).catch(() => []);
}

describe('AssetService', () => {
  it('stores an image: the file under its hash, the row with what the bytes say', async () => {
    const bytes = await image(1, 'jpeg', 40, 30);
    const record = await service.store(bytes, {
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
    expect(service.get(record.id)).toEqual(record);
    const opened = await service.open(record.id);
    expect(opened?.record).toEqual(record);
    expect(await buffer(opened!.stream)).toEqual(bytes);
  });

  it('reports the size as displayed, after EXIF orientation', async () => {
    const bytes = await sharp({ create: { width: 40, height: 20, channels: 3, background: 'red' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await service.store(bytes, { source: 'uploaded' })).toMatchObject({ width: 20, height: 40 });
  });

  it('stores the same bytes once, keeping the first record', async () => {
    const bytes = await image(2);
    const first = await service.store(bytes, { source: 'generated', prompt: 'first' });
    const again = await service.store(Buffer.from(bytes), { source: 'uploaded' });
    expect(again).toEqual(first);
    expect(await storedFiles()).toHaveLength(2); // one shard folder, one file
    expect(service.list({ first: 10 }).totalCount).toBe(1);
  });

  it('links an edit to its source and lists and captions through', async () => {
    const source = await service.store(await image(3), { source: 'generated' });
    const edit = await service.store(await image(4), {
      source: 'edited',
      editedFrom: source.id,
      scores: { d: 0.2 },
    });
    expect(edit).toMatchObject({ editedFrom: source.id, scores: { d: 0.2 } });
    expect(service.list({ first: 10, filter: { source: 'edited' } }).items).toEqual([edit]);
    const caption = service.addCaption(edit.id, { caption: 'bluer', clipScore: 0.3 });
    expect(service.captions(edit.id)).toEqual([caption]);
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
    const error = await service.store(await bytes(), { source: 'uploaded' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageInputError);
    expect(error).toMatchObject({ code });
    expect(await storedFiles()).toEqual([]);
    expect(service.list({ first: 1 }).totalCount).toBe(0);
  });

  it('opens nothing for an unknown or malformed id', async () => {
    expect(await service.open('0'.repeat(64))).toBeNull();
    expect(await service.open('../../etc/passwd')).toBeNull();
    expect(service.get('')).toBeNull();
  });
});
