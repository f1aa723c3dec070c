import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assetIdOf } from './asset-id.js';
import type { AssetRecord, NewAsset } from './asset-record.js';
import { AssetRepository } from './asset-repository.js';
import { ListArgumentError } from './list-cursor.js';
import { tempDir } from './test-support/fixtures.js';

let path: string;
let repository: AssetRepository;
beforeEach(async () => {
  path = join(await tempDir(), 'data', 'clipsmith.db');
  repository = new AssetRepository(path);
});
afterEach(() => repository.close());

function newAsset(overrides: Partial<NewAsset> = {}): NewAsset {
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

/** The order list() promises: newest first, ties broken by id, descending. */
function newestFirst(records: AssetRecord[]): string[] {
  return [...records]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
    .map((r) => r.id);
}

function listAll(pageSize: number, filter = {}): { ids: string[]; pages: number; totals: Set<number> } {
  const ids: string[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const page = repository.list({ filter, first: pageSize, after });
    pages++;
    totals.add(page.totalCount);
    ids.push(...page.items.map((item) => item.id));
    if (!page.hasNextPage) return { ids, pages, totals };
    after = page.endCursor;
  }
}

describe('AssetRepository', () => {
  it('opens in WAL mode with foreign keys on', () => {
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    expect(() => repository.insert(newAsset({ source: 'edited', editedFrom: 'f'.repeat(64) }))).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('inserts and gets a record with all its metadata', () => {
    const parent = repository.insert(newAsset());
    const asset = newAsset({
      source: 'edited',
      prompt: 'a red fox, watercolour',
      generatorId: 'sd',
      seed: 2 ** 40 + 7,
      parameters: { steps: 30, guidance: 7.5, negative: ['blur'] },
      scores: { clipScore: 0.81, rank: 1 },
      editedFrom: parent.id,
      generationId: 'gen-42',
    });
    const record = repository.insert(asset);
    expect(record).toEqual({ ...asset, createdAt: expect.any(String) });
    expect(new Date(record.createdAt).toISOString()).toBe(record.createdAt);
    expect(repository.get(asset.id)).toEqual(record);
    expect(parent).toMatchObject({
      prompt: null,
      seed: null,
      parameters: null,
      scores: null,
      editedFrom: null,
    });
    expect(repository.get('0'.repeat(64))).toBeNull();
    expect(repository.get('../etc/passwd')).toBeNull();
  });

  it('keeps the first record of an id: inserting it again returns it unchanged', () => {
    const first = repository.insert(newAsset({ source: 'generated', prompt: 'first', generatorId: 'a' }));
    const again = repository.insert({ ...first, source: 'uploaded', prompt: 'second', generatorId: null });
    expect(again).toEqual(first);
    expect(repository.list({ first: 10 }).totalCount).toBe(1);
  });

  it('pages through 25 assets newest first, without duplicates or gaps', () => {
    const records = Array.from({ length: 25 }, (_, i) =>
      repository.insert(newAsset({ source: i % 3 === 0 ? 'uploaded' : 'generated' })),
    );
    const first = repository.list({ first: 10 });
    expect(first).toMatchObject({ hasNextPage: true, totalCount: 25 });
    expect(first.items).toHaveLength(10);
    const all = listAll(10);
    expect(all.pages).toBe(3);
    expect(all.totals).toEqual(new Set([25]));
    expect(all.ids).toEqual(newestFirst(records));
    expect(all.ids).toEqual(records.map((r) => r.id).reverse()); // creation times strictly increase
    expect(listAll(25).pages).toBe(1);
    expect(listAll(1).ids).toEqual(all.ids);
    expect(listAll(100).ids).toEqual(all.ids);
  });

  it('keeps its pages stable while assets are added', () => {
    const older = Array.from({ length: 6 }, () => repository.insert(newAsset()));
    const page1 = repository.list({ first: 3 });
    repository.insert(newAsset()); // newer than every cursor: comes before page 1
    const page2 = repository.list({ first: 3, after: page1.endCursor });
    expect([...page1.items, ...page2.items].map((r) => r.id)).toEqual(newestFirst(older));
    expect(page2).toMatchObject({ hasNextPage: false, totalCount: 7 });
  });

  it('filters by source, generator and prompt text, counting only matches', () => {
    repository.insert(newAsset({ source: 'uploaded', prompt: 'A Red fox' }));
    repository.insert(newAsset({ source: 'generated', generatorId: 'sd', prompt: 'red fox at 100% zoom' }));
    repository.insert(newAsset({ source: 'generated', generatorId: 'sd', prompt: 'blue_whale' }));
    repository.insert(newAsset({ source: 'generated', generatorId: 'oai', prompt: 'blueXwhale' }));
    repository.insert(newAsset({ source: 'heatmap' }));
    const count = (filter: object): number => repository.list({ filter, first: 100 }).totalCount;
    expect(count({})).toBe(5);
    expect(count({ source: 'generated' })).toBe(3);
    expect(count({ source: 'edited' })).toBe(0);
    expect(count({ generatorId: 'sd' })).toBe(2);
    expect(count({ source: 'generated', generatorId: 'oai' })).toBe(1);
    expect(count({ promptContains: 'red fox' })).toBe(2);
    expect(count({ promptContains: '100%' })).toBe(1);
    expect(count({ promptContains: 'blue_' })).toBe(1); // _ and % are literal, not wildcards
    expect(count({ promptContains: '' })).toBe(5);
    expect(count({ generatorId: 'sd', promptContains: 'fox' })).toBe(1);
    const paged = listAll(1, { source: 'generated' });
    expect(paged).toMatchObject({ pages: 3, totals: new Set([3]) });
  });

  it('answers an empty page with no cursor', () => {
    expect(repository.list({ first: 5 })).toEqual({
      items: [],
      endCursor: null,
      hasNextPage: false,
      totalCount: 0,
    });
  });

  it.each([0, 101, 2.5, NaN])('refuses a page size of %s', (first) => {
    expect(() => repository.list({ first })).toThrow(ListArgumentError);
  });

  it.each([
    'not a cursor',
    Buffer.from('["2024-01-01T00:00:00.000Z"]').toString('base64url'),
    Buffer.from(`["yesterday","${'a'.repeat(64)}"]`).toString('base64url'),
    Buffer.from(`["2024-01-01T00:00:00.000Z","' OR 1=1 --"]`).toString('base64url'),
  ])('refuses a cursor it did not make: %s', (after) => {
    expect(() => repository.list({ first: 5, after })).toThrow(/after is not a cursor of this list/);
  });

  it('adds captions with their scores, oldest first', () => {
    const asset = repository.insert(newAsset());
    const a = repository.addCaption(asset.id, { caption: 'a fox', clipScore: 0.7, refClipScore: 0.65 });
    const b = repository.addCaption(asset.id, { caption: 'an animal' });
    expect(a).toEqual({
      id: expect.any(Number),
      assetId: asset.id,
      caption: 'a fox',
      clipScore: 0.7,
      refClipScore: 0.65,
      createdAt: expect.any(String),
    });
    expect(b).toMatchObject({ caption: 'an animal', clipScore: null, refClipScore: null });
    expect(repository.captions(asset.id)).toEqual([a, b]);
    expect(repository.captions('0'.repeat(64))).toEqual([]);
    expect(() => repository.addCaption('0'.repeat(64), { caption: 'orphan' })).toThrow(/FOREIGN KEY/);
  });

  it('round-trips embeddings bit for bit, per model', () => {
    const a = repository.insert(newAsset());
    const b = repository.insert(newAsset());
    const exact = new Float32Array([0.1, -0, 1e-45, -3.4028234663852886e38, Math.PI, 1 / 3]);
    repository.setEmbedding(a.id, 'clip-b32', exact);
    repository.setEmbedding(b.id, 'clip-b32', new Float32Array(6).fill(0.5));
    repository.setEmbedding(a.id, 'clip-l14', new Float32Array([1, 2]));
    const back = repository.getEmbedding(a.id, 'clip-b32')!;
    expect(Buffer.from(back.buffer)).toEqual(Buffer.from(exact.buffer));
    expect(Object.is(back[1], -0)).toBe(true);
    expect(repository.getEmbedding(a.id, 'clip-l14')).toEqual(new Float32Array([1, 2]));
    expect(repository.getEmbedding(b.id, 'clip-l14')).toBeNull();

    repository.setEmbedding(b.id, 'clip-b32', new Float32Array(6).fill(0.25)); // replaces
    const set = repository.allEmbeddings('clip-b32');
    const order = [a.id, b.id].sort();
    expect(set.ids).toEqual(order);
    expect(set.dim).toBe(6);
    const byId = new Map(set.ids.map((id, i) => [id, set.vectors[i]!]));
    expect(byId.get(a.id)).toEqual(exact);
    expect(byId.get(b.id)).toEqual(new Float32Array(6).fill(0.25));
    // Views into one buffer, not copies.
    expect(set.vectors[0]!.buffer).toBe(set.vectors[1]!.buffer);
    expect(repository.allEmbeddings('none')).toEqual({ modelKey: 'none', dim: 0, ids: [], vectors: [] });
  });

  it('refuses embeddings a search could not use', () => {
    const a = repository.insert(newAsset());
    repository.setEmbedding(a.id, 'clip-b32', new Float32Array(4));
    expect(() => repository.setEmbedding(a.id, 'clip-b32', new Float32Array(5))).toThrow(
      /clip-b32 have 4 dimensions; this one has 5/,
    );
    expect(() => repository.setEmbedding(a.id, 'x', new Float32Array(0))).toThrow(RangeError);
    expect(() => repository.setEmbedding(a.id, 'x', new Float32Array([1, NaN]))).toThrow(RangeError);
    expect(() => repository.setEmbedding('0'.repeat(64), 'x', new Float32Array(2))).toThrow(/FOREIGN KEY/);
  });

  it('finds everything again after a restart, with the WAL merged on close', async () => {
    const asset = repository.insert(newAsset({ prompt: 'kept', parameters: { steps: 4 } }));
    repository.addCaption(asset.id, { caption: 'kept too', clipScore: 0.5 });
    repository.setEmbedding(asset.id, 'm', new Float32Array([0.5, -0.25]));
    repository.close();
    repository.close(); // twice is harmless
    const wal = await stat(`${path}-wal`).catch(() => null);
    expect(wal?.size ?? 0).toBe(0);
    // Read without the WAL at all: everything is in the main file.
    const plain = new Database(path, { readonly: true });
    expect(plain.prepare('SELECT count(*) FROM assets').pluck().get()).toBe(1);
    plain.close();

    repository = new AssetRepository(path);
    expect(repository.get(asset.id)).toEqual(asset);
    expect(repository.captions(asset.id)).toMatchObject([{ caption: 'kept too', clipScore: 0.5 }]);
    expect(repository.getEmbedding(asset.id, 'm')).toEqual(new Float32Array([0.5, -0.25]));
    expect(repository.list({ first: 1 }).items).toEqual([asset]);
    expect(repository.insert(newAsset()).createdAt > asset.createdAt).toBe(true);
  });
});
