import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SqlDatabase } from './database.js';
import { MIGRATIONS, migrate } from './migrations.js';
import { type DatabaseKind, freshDatabase } from './test-support/databases.js';

const run = promisify(execFile);
const OPEN_SCRIPT = fileURLToPath(new URL('./test-support/open-database.ts', import.meta.url));

async function openInAnotherProcess(path: string): Promise<void> {
  await run(process.execPath, ['--import', 'tsx', OPEN_SCRIPT, path]);
}

const KINDS: DatabaseKind[] = ['sqlite', 'postgres'];

describe.each(KINDS)('migrations on %s', (kind) => {
  it('creates the schema once, however often the database is opened, and records each version', async () => {
    const options = await freshDatabase(kind);
    await (await SqlDatabase.open(options)).close();
    const database = await SqlDatabase.open(options);
    try {
      const versions = await database.db
        .selectFrom('migrations')
        .select(['version', 'name'])
        .orderBy('version')
        .execute();
      expect(versions).toEqual(MIGRATIONS.map(({ version, name }) => ({ version, name })));
      expect(await migrate(database.db, database.dialect)).toEqual([]);
      const tables = await database.db.introspection.getTables();
      expect(tables.map((t) => t.name).sort()).toEqual([
        'asset_captions',
        'asset_embeddings',
        'assets',
        'jobs',
        'migrations',
      ]);
    } finally {
      await database.close();
    }
  });

  it('migrates once when several nodes open a new database at the same moment', async () => {
    const options = await freshDatabase(kind);
    if (kind === 'sqlite') {
      // better-sqlite3 waits for a lock synchronously, so SQLite's nodes are processes.
      await Promise.all(Array.from({ length: 3 }, () => openInAnotherProcess(options.sqlitePath)));
    }
    const opened = await Promise.all(
      Array.from({ length: kind === 'sqlite' ? 1 : 4 }, () => SqlDatabase.open(options)),
    );
    try {
      const { count } = await opened[0]!.db
        .selectFrom('migrations')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      expect(Number(count)).toBe(MIGRATIONS.length);
    } finally {
      await Promise.all(opened.map((d) => d.close()));
    }
  });

  it('applies an appended step once, keeping the data, and leaves a failing step unapplied', async () => {
    const options = await freshDatabase(kind);
    const database = await SqlDatabase.open(options);
    try {
      await database.db
        .insertInto('assets')
        .values({
          id: 'a'.repeat(64),
          mime_type: 'image/png',
          width: 1,
          height: 1,
          byte_size: 9,
          created_at: 'x',
          source: 'uploaded',
        })
        .execute();
      const withTags = [
        ...MIGRATIONS,
        {
          version: MIGRATIONS.length + 1,
          name: 'asset tags',
          up: async (db: typeof database.db) => {
            await db.schema.alterTable('assets').addColumn('tags', 'text').execute();
          },
        },
      ];
      expect(await migrate(database.db, database.dialect, withTags)).toEqual([MIGRATIONS.length + 1]);
      expect(await migrate(database.db, database.dialect, withTags)).toEqual([]);
      const broken = [
        ...withTags,
        {
          version: withTags.length + 1,
          name: 'half a step',
          up: async (db: typeof database.db) => {
            await db.schema.alterTable('assets').addColumn('colour', 'text').execute();
            await sql`THIS IS NOT SQL`.execute(db);
          },
        },
      ];
      await expect(migrate(database.db, database.dialect, broken)).rejects.toThrow();
      const columns = (await database.db.introspection.getTables())
        .find((t) => t.name === 'assets')!
        .columns.map((c) => c.name);
      expect(columns).toContain('tags');
      expect(columns).not.toContain('colour');
      const rows = await database.db.selectFrom('assets').select('id').execute();
      expect(rows).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it('refuses a database newer than this build, naming both versions', async () => {
    const options = await freshDatabase(kind);
    const database = await SqlDatabase.open(options);
    try {
      await expect(migrate(database.db, database.dialect, MIGRATIONS.slice(0, 1))).rejects.toThrow(
        `schema version ${MIGRATIONS.length}, newer than this clipsmith knows (1)`,
      );
    } finally {
      await database.close();
    }
  });
});
