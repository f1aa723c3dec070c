import { stat } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatabaseOptions, SqlDatabase } from '../database/database.js';
import { freshDatabase } from '../database/test-support/databases.js';
import type { AssetRecord } from './asset-record.js';
import { AssetRepository } from './asset-repository.js';
import { CaptionRepository } from './caption-repository.js';
import { EmbeddingRepository } from './embedding-repository.js';
import { DATABASE_KINDS, newAsset } from './test-support/fixtures.js';

describe.each(DATABASE_KINDS)('AssetRepository on %s', (kind) => {
  let options: DatabaseOptions;
  let database: SqlDatabase;
  let repository: AssetRepository;
  beforeEach(async () => {
    options = await freshDatabase(kind);
    database = await SqlDatabase.open(options);
    repository = new AssetRepository(database);
  });
  afterEach(() => database.close());

  /** The order list() promises: newest first, ties broken by id, descending. */
  function newestFirst(records: AssetRecord[]): string[] {
    return [...records]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .map((r) => r.id);
  }

  async function listAll(
    pageSize: number,
    filter = {},
  ): Promise<{ ids: string[]; pages: number; totals: Set<number> }> {
    const ids: string[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await repository.list({ filter, first: pageSize, after });
      pages++;
      totals.add(page.totalCount);
      ids.push(...page.items.map((item) => item.id));
      if (!page.hasNextPage) return { ids, pages, totals };
      after = page.endCursor;
    }
  }

  it('keeps references between assets to assets that exist', async () => {
    if (kind === 'sqlite') {
      const db = new Database(options.sqlitePath);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
    }
    await expect(
      repository.insert(newAsset({ source: 'edited', editedFrom: 'f'.repeat(64) })),
    ).rejects.toThrow(/foreign key/i);
  });

  it('inserts and gets a record with all its metadata', async () => {
    const parent = await repository.insert(newAsset());
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
    const record = await repository.insert(asset);
    expect(record).toEqual({ ...asset, createdAt: expect.any(String) });
    expect(new Date(record.createdAt).toISOString()).toBe(record.createdAt);
    expect(await repository.get(asset.id)).toEqual(record);
    expect(parent).toMatchObject({
      prompt: null,
      seed: null,
      parameters: null,
      scores: null,
      editedFrom: null,
    });
    expect(await repository.get('0'.repeat(64))).toBeNull();
    expect(await repository.get('../etc/passwd')).toBeNull();
  });

  it('keeps the first record of an id: inserting it again returns it unchanged', async () => {
    const first = await repository.insert(
      newAsset({ source: 'generated', prompt: 'first', generatorId: 'a' }),
    );
    const again = await repository.insert({
      ...first,
      source: 'uploaded',
      prompt: 'second',
      generatorId: null,
    });
    expect(again).toEqual(first);
    expect((await repository.list({ first: 10 })).totalCount).toBe(1);
  });

  it('pages through 25 assets newest first, without duplicates or gaps', async () => {
    const records = [];
    for (let i = 0; i < 25; i++)
      records.push(await repository.insert(newAsset({ source: i % 3 === 0 ? 'uploaded' : 'generated' })));
    const first = await repository.list({ first: 10 });
    expect(first).toMatchObject({ hasNextPage: true, totalCount: 25 });
    expect(first.items).toHaveLength(10);
    const all = await listAll(10);
    expect(all.pages).toBe(3);
    expect(all.totals).toEqual(new Set([25]));
    expect(all.ids).toEqual(newestFirst(records));
    expect(all.ids).toEqual(records.map((r) => r.id).reverse()); // creation times strictly increase
    expect((await listAll(25)).pages).toBe(1);
    expect((await listAll(1)).ids).toEqual(all.ids);
    expect((await listAll(100)).ids).toEqual(all.ids);
  });

  it('gives concurrent inserts distinct, increasing creation times', async () => {
    const records = await Promise.all(Array.from({ length: 20 }, () => repository.insert(newAsset())));
    const times = records.map((r) => r.createdAt);
    expect(new Set(times).size).toBe(20);
    expect([...times].sort()).toEqual(times);
  });

  it('keeps its pages stable while assets are added', async () => {
    const older = [];
    for (let i = 0; i < 6; i++) older.push(await repository.insert(newAsset()));
    const page1 = await repository.list({ first: 3 });
    await repository.insert(newAsset()); // newer than every cursor: comes before page 1
    const page2 = await repository.list({ first: 3, after: page1.endCursor });
    expect([...page1.items, ...page2.items].map((r) => r.id)).toEqual(newestFirst(older));
    expect(page2).toMatchObject({ hasNextPage: false, totalCount: 7 });
  });

  it('filters by source, generator and prompt text, counting only matches', async () => {
    await repository.insert(newAsset({ source: 'uploaded', prompt: 'A Red fox' }));
    await repository.insert(
      newAsset({ source: 'generated', generatorId: 'sd', prompt: 'red fox at 100% zoom' }),
    );
    await repository.insert(newAsset({ source: 'generated', generatorId: 'sd', prompt: 'blue_whale' }));
    await repository.insert(newAsset({ source: 'generated', generatorId: 'oai', prompt: 'blueXwhale' }));
    await repository.insert(newAsset({ source: 'heatmap' }));
    const count = async (filter: object): Promise<number> =>
      (await repository.list({ filter, first: 100 })).totalCount;
    expect(await count({})).toBe(5);
    expect(await count({ source: 'generated' })).toBe(3);
    expect(await count({ source: 'edited' })).toBe(0);
    expect(await count({ generatorId: 'sd' })).toBe(2);
    expect(await count({ source: 'generated', generatorId: 'oai' })).toBe(1);
    expect(await count({ promptContains: 'red fox' })).toBe(2);
    expect(await count({ promptContains: '100%' })).toBe(1);
    expect(await count({ promptContains: 'blue_' })).toBe(1); // _ and % are literal, not wildcards
    expect(await count({ promptContains: '' })).toBe(5);
    expect(await count({ generatorId: 'sd', promptContains: 'fox' })).toBe(1);
    const paged = await listAll(1, { source: 'generated' });
    expect(paged).toMatchObject({ pages: 3, totals: new Set([3]) });
  });

  it('lists the edits of an asset, and only those', async () => {
    const parent = await repository.insert(newAsset());
    const edits = [];
    for (let i = 0; i < 3; i++)
      edits.push(await repository.insert(newAsset({ source: 'edited', editedFrom: parent.id })));
    await repository.insert(newAsset({ source: 'edited', editedFrom: edits[0]!.id })); // a grandchild
    const children = await repository.list({ filter: { editedFrom: parent.id }, first: 10 });
    expect(children.items.map((r) => r.id)).toEqual(newestFirst(edits));
    expect(children.totalCount).toBe(3);
    expect((await repository.list({ filter: { editedFrom: edits[1]!.id }, first: 10 })).totalCount).toBe(0);
  });

  it('answers an empty page with no cursor', async () => {
    expect(await repository.list({ first: 5 })).toEqual({
      items: [],
      endCursor: null,
      hasNextPage: false,
      totalCount: 0,
    });
  });

  it.each([0, 101, 2.5, NaN])('refuses a page size of %s', async (first) => {
    await expect(repository.list({ first })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it.each([
    'not a cursor',
    Buffer.from('["2024-01-01T00:00:00.000Z"]').toString('base64url'),
    Buffer.from(`["yesterday","${'a'.repeat(64)}"]`).toString('base64url'),
    Buffer.from(`["2024-01-01T00:00:00.000Z","' OR 1=1 --"]`).toString('base64url'),
  ])('refuses a cursor it did not make: %s', async (after) => {
    await expect(repository.list({ first: 5, after })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/after is not a cursor of this list/),
    });
  });

  it('finds everything again after a restart (SQLite: with the WAL merged on close)', async () => {
    const asset = await repository.insert(newAsset({ prompt: 'kept', parameters: { steps: 4 } }));
    await new CaptionRepository(database).add(asset.id, { caption: 'kept too', clipScore: 0.5 });
    await new EmbeddingRepository(database).set(asset.id, 'm', new Float32Array([0.5, -0.25]));
    await database.close();
    await database.close(); // twice is harmless
    if (kind === 'sqlite') {
      const wal = await stat(`${options.sqlitePath}-wal`).catch(() => null);
      expect(wal?.size ?? 0).toBe(0);
      // Read without the WAL at all: everything is in the main file.
      const plain = new Database(options.sqlitePath, { readonly: true });
      expect(plain.prepare('SELECT count(*) FROM assets').pluck().get()).toBe(1);
      plain.close();
    }

    database = await SqlDatabase.open(options);
    repository = new AssetRepository(database);
    expect(await repository.get(asset.id)).toEqual(asset);
    expect(await new CaptionRepository(database).of(asset.id)).toMatchObject([
      { caption: 'kept too', clipScore: 0.5 },
    ]);
    expect(await new EmbeddingRepository(database).get(asset.id, 'm')).toEqual(
      new Float32Array([0.5, -0.25]),
    );
    expect((await repository.list({ first: 1 })).items).toEqual([asset]);
    expect((await repository.insert(newAsset())).createdAt > asset.createdAt).toBe(true);
  });
});
