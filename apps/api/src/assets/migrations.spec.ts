import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { AssetRepository } from './asset-repository.js';
import { migrate, MIGRATIONS } from './migrations.js';
import { tempDir } from './test-support/fixtures.js';

const ID = 'a'.repeat(64);

function versions(path: string): { version: number; name: string }[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT version, name FROM migrations ORDER BY version').all() as {
      version: number;
      name: string;
    }[];
  } finally {
    db.close();
  }
}

function withDb<T>(path: string, use: (db: Database.Database) => T): T {
  const db = new Database(path);
  try {
    return use(db);
  } finally {
    db.close();
  }
}

describe('migrations', () => {
  it('creates the schema once, however often the database is opened, and records its version', async () => {
    const path = join(await tempDir(), 'clipsmith.db');
    new AssetRepository(path).close();
    new AssetRepository(path).close();
    expect(versions(path)).toEqual([{ version: 1, name: MIGRATIONS[0]!.name }]);
    const tables = withDb(path, (db) =>
      db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all(),
    );
    expect(tables).toEqual(['asset_captions', 'asset_embeddings', 'assets', 'migrations']);
    expect(withDb(path, (db) => migrate(db))).toEqual([]);
  });

  it('applies an appended migration 2 once, keeping the data', async () => {
    const path = join(await tempDir(), 'clipsmith.db');
    const repository = new AssetRepository(path);
    repository.insert({
      id: ID,
      mimeType: 'image/png',
      width: 1,
      height: 1,
      byteSize: 9,
      source: 'uploaded',
    });
    repository.close();
    const withTags = [
      ...MIGRATIONS,
      {
        version: 2,
        name: 'asset tags',
        sql: `ALTER TABLE assets ADD COLUMN tags TEXT NOT NULL DEFAULT '[]'`,
      },
    ];
    expect(withDb(path, (db) => migrate(db, withTags))).toEqual([2]);
    expect(withDb(path, (db) => migrate(db, withTags))).toEqual([]);
    expect(versions(path).map((m) => m.version)).toEqual([1, 2]);
    expect(withDb(path, (db) => db.prepare('SELECT id, tags FROM assets').all())).toEqual([
      { id: ID, tags: '[]' },
    ]);
  });

  it('applies all pending migrations or none', async () => {
    const path = join(await tempDir(), 'clipsmith.db');
    const broken = [
      ...MIGRATIONS,
      { version: 2, name: 'good step', sql: 'CREATE TABLE extra (x INTEGER)' },
      { version: 3, name: 'bad step', sql: 'ALTER TABLE nowhere ADD COLUMN y TEXT' },
    ];
    expect(() => withDb(path, (db) => migrate(db, broken))).toThrow(/no such table: nowhere/);
    // Not even migration 1: the database is as it was, and opens normally afterwards.
    expect(
      withDb(path, (db) => db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()),
    ).toEqual([]);
    new AssetRepository(path).close();
    expect(versions(path).map((m) => m.version)).toEqual([1]);
  });

  it('refuses a database migrated by a newer clipsmith', async () => {
    const path = join(await tempDir(), 'clipsmith.db');
    withDb(path, (db) => migrate(db, [...MIGRATIONS, { version: 2, name: 'future', sql: 'SELECT 1' }]));
    expect(() => new AssetRepository(path)).toThrow(
      /schema version 2, newer than this clipsmith knows \(1\)/,
    );
  });

  it('refuses migrations that are not numbered 1, 2, 3…', async () => {
    const path = join(await tempDir(), 'clipsmith.db');
    const gap = [...MIGRATIONS, { version: 3, name: 'skips 2', sql: 'SELECT 1' }];
    expect(() => withDb(path, (db) => migrate(db, gap))).toThrow('migration 2 is numbered 3');
  });
});
