import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OnApplicationShutdown } from '@nestjs/common';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrate } from './migrations.js';
import { SQL_DIALECTS, type SqlDialect } from './sql-dialect.js';
import type { Tables } from './tables.js';

export interface DatabaseOptions {
  /** `postgres://…`: the shared store of distributed mode. Null: the SQLite file. */
  url: string | null;
  /** The embedded database file, used when there is no url. */
  sqlitePath: string;
  /** Connections a PostgreSQL node keeps at most. */
  poolSize?: number;
  /** How long to wait for a PostgreSQL connection before the call fails (STORE_UNAVAILABLE). */
  connectTimeoutMs?: number;
}

/** PostgreSQL's 64-bit integers (count(*), bigint) arrive as strings; every one here fits a double. */
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? Number
      : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** The store: one Kysely over SQLite or PostgreSQL, migrated before anything reads it. */
export class SqlDatabase implements OnApplicationShutdown {
  private closed = false;

  private constructor(
    readonly db: Kysely<Tables>,
    readonly dialect: SqlDialect,
  ) {}

  /** Opens (creating the SQLite file if needed) and migrates; nodes opening at once migrate once. */
  static async open(options: DatabaseOptions): Promise<SqlDatabase> {
    const database = options.url ? SqlDatabase.postgres(options) : SqlDatabase.sqlite(options.sqlitePath);
    try {
      await migrate(database.db, database.dialect);
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }

  private static sqlite(path: string): SqlDatabase {
    mkdirSync(dirname(path), { recursive: true });
    const file = new BetterSqlite3(path);
    file.pragma('journal_mode = WAL');
    file.pragma('foreign_keys = ON');
    // Another process holding the write lock (a migration, a CLI) is waited for, not failed on.
    file.pragma('busy_timeout = 5000');
    return new SqlDatabase(
      new Kysely<Tables>({ dialect: new SqliteDialect({ database: file }) }),
      SQL_DIALECTS.sqlite,
    );
  }

  private static postgres(options: DatabaseOptions): SqlDatabase {
    const pool = new pg.Pool({
      connectionString: options.url!,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
      types: pgTypes,
    });
    // An idle connection that the server drops is an event, not a crash; the next query reconnects.
    pool.on('error', () => undefined);
    return new SqlDatabase(
      new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }),
      SQL_DIALECTS.postgres,
    );
  }

  /** Answers one trivial query: readiness asks this. */
  async ping(): Promise<void> {
    await this.db.selectFrom('migrations').select('version').limit(1).execute();
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** Closes the connections (SQLite merges its WAL on the last close); closing twice is harmless. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.destroy();
  }
}

/** Errors that mean the store cannot be reached now (not that a query is wrong). */
export function isStoreUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = (error as Error | null)?.message ?? '';
  return (
    (typeof code === 'string' &&
      [
        'ECONNREFUSED',
        'ECONNRESET',
        'ETIMEDOUT',
        'EPIPE',
        '57P01',
        '57P02',
        '57P03',
        '08006',
        '08001',
        '08003',
      ].includes(code)) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
      message,
    )
  );
}
