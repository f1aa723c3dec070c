import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { SqlDialect } from './sql-dialect.js';
import type { Tables } from './tables.js';

/** One step of the schema. Applied steps are never edited: a change is a new step at the end. */
export interface Migration {
  version: number;
  name: string;
  // Steps see the database as it was then, not as Tables says it is now.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: SqlDialect): Promise<void>;
}

/** Table options of the dialect (SQLite's STRICT) after the column list. */
function finish<T extends string, C extends string>(
  table: CreateTableBuilder<T, C>,
  dialect: SqlDialect,
): CreateTableBuilder<T, C> {
  return dialect.tableSuffix ? table.modifyEnd(dialect.tableSuffix) : table;
}

/** A text column of JSON, checked where the database can. */
function jsonText(dialect: SqlDialect, column: string) {
  return (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => {
    const check = dialect.jsonCheck(column);
    return check ? c.check(check) : c;
  };
}

/**
 * The schema, step by step, for both databases. To change it, append the next version; every database
 * opened afterwards runs it once, at open (see migrations.spec.ts).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'assets, captions and embeddings',
    async up(db, dialect) {
      await finish(
        db.schema
          .createTable('assets')
          .addColumn('id', 'text', (c) => c.primaryKey().check(sql`length(id) = 64`))
          .addColumn('mime_type', 'text', (c) => c.notNull())
          .addColumn('width', 'integer', (c) => c.notNull().check(sql`width > 0`))
          .addColumn('height', 'integer', (c) => c.notNull().check(sql`height > 0`))
          .addColumn('byte_size', 'integer', (c) => c.notNull().check(sql`byte_size > 0`))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) =>
            c.notNull().check(sql`source IN ('generated', 'uploaded', 'edited', 'heatmap')`),
          )
          .addColumn('prompt', 'text')
          .addColumn('generator_id', 'text')
          .addColumn('seed', dialect.bigInteger)
          .addColumn('parameters', 'text', jsonText(dialect, 'parameters'))
          .addColumn('scores', 'text', jsonText(dialect, 'scores'))
          .addColumn('edited_from', 'text', (c) => c.references('assets.id'))
          .addColumn('generation_id', 'text'),
        dialect,
      ).execute();
      await db.schema
        .createIndex('assets_newest_first')
        .on('assets')
        .columns(['created_at desc', 'id desc'])
        .execute();
      await finish(
        db.schema
          .createTable('asset_captions')
          .addColumn('id', dialect.autoIncrement as never, (c) => c.primaryKey())
          .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
          .addColumn('caption', 'text', (c) => c.notNull())
          .addColumn('clip_score', dialect.float)
          .addColumn('ref_clip_score', dialect.float)
          .addColumn('created_at', 'text', (c) => c.notNull()),
        dialect,
      ).execute();
      await db.schema
        .createIndex('asset_captions_by_asset')
        .on('asset_captions')
        .columns(['asset_id', 'id'])
        .execute();
      await finish(
        db.schema
          .createTable('asset_embeddings')
          .addColumn('asset_id', 'text', (c) => c.notNull().references('assets.id').onDelete('cascade'))
          .addColumn('model_key', 'text', (c) => c.notNull())
          .addColumn('dim', 'integer', (c) => c.notNull().check(sql`dim > 0`))
          .addColumn('vector', dialect.blob, (c) => c.notNull().check(sql`length(vector) = 4 * dim`))
          .addPrimaryKeyConstraint('asset_embeddings_pk', ['asset_id', 'model_key']),
        dialect,
      ).execute();
      await db.schema
        .createIndex('asset_embeddings_by_model')
        .on('asset_embeddings')
        .columns(['model_key', 'asset_id'])
        .execute();
    },
  },
  {
    version: 2,
    name: 'jobs',
    async up(db, dialect) {
      await finish(
        db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) =>
            c.notNull().check(sql`state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')`),
          )
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('request_id', 'text')
          .addColumn('input', 'text', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('done', 'integer', (c) => c.notNull())
          .addColumn('total', 'integer', (c) => c.notNull())
          .addColumn('result', 'text', jsonText(dialect, 'result'))
          .addColumn('error_code', 'text')
          .addColumn('error_message', 'text')
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('cancel_requested', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text')
          .addColumn('finished_at', 'text'),
        dialect,
      ).execute();
      await db.schema
        .createIndex('jobs_newest_first')
        .on('jobs')
        .columns(['created_at desc', 'id desc'])
        .execute();
      await db.schema.createIndex('jobs_by_state').on('jobs').columns(['state', 'owner']).execute();
      await db.schema.createIndex('jobs_by_finish').on('jobs').columns(['finished_at']).execute();
    },
  },
];

/** Any number: the advisory lock PostgreSQL nodes take while one of them migrates. */
const MIGRATION_LOCK_KEY = 0x636c6970;

/**
 * Brings the database up to the last migration, all pending steps in one transaction under a lock:
 * nodes started at the same moment migrate once (one wins the lock, the others wait, then find nothing
 * to do), and the database is at the old version or the new one, never between. Returns the versions
 * it applied.
 */
export async function migrate(
  db: Kysely<Tables>,
  dialect: SqlDialect,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1)
      throw new Error(`migration ${index + 1} is numbered ${migration.version}`);
  });
  const latest = migrations.length;
  return underSchemaLock(db, dialect, async (trx) => {
    await finish(
      trx.schema
        .createTable('migrations')
        .ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('applied_at', 'text', (c) => c.notNull()),
      dialect,
    ).execute();
    const { current } = await trx
      .selectFrom('migrations')
      .select((eb) => eb.fn.coalesce(eb.fn.max('version'), eb.lit(0)).as('current'))
      .executeTakeFirstOrThrow();
    if (current > latest) {
      throw new Error(
        `the database is at schema version ${current}, newer than this clipsmith knows (${latest}): upgrade clipsmith`,
      );
    }
    const pending = migrations.slice(current);
    for (const migration of pending) {
      await migration.up(trx, dialect);
      await trx
        .insertInto('migrations')
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
    }
    return pending.map((m) => m.version);
  });
}

/** Runs `work` in a transaction that holds the database's schema lock. */
async function underSchemaLock<T>(
  db: Kysely<Tables>,
  dialect: SqlDialect,
  work: (trx: Kysely<Tables>) => Promise<T>,
): Promise<T> {
  if (dialect.name === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`.execute(trx);
      return work(trx);
    });
  }
  // IMMEDIATE takes SQLite's write lock first; another process waits on it (busy_timeout).
  return db.connection().execute(async (connection) => {
    await sql`BEGIN IMMEDIATE`.execute(connection);
    try {
      const result = await work(connection);
      await sql`COMMIT`.execute(connection);
      return result;
    } catch (error) {
      await sql`ROLLBACK`.execute(connection);
      throw error;
    }
  });
}
