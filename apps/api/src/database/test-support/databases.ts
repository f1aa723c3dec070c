import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import {
  stopSharedPostgres,
  type TestServer,
  testPostgresDatabase,
} from '../../test-support/throwaway-servers.js';
import type { DatabaseOptions } from '../database.js';

export type DatabaseKind = 'sqlite' | 'postgres';

// The throwaway server (if one was started) outlives each test, not the file.
afterAll(stopSharedPostgres);

/**
 * Options that open a fresh, empty database of each kind: a SQLite file in a temp folder, or a fresh
 * PostgreSQL database (on DATABASE_URL's server, else on a throwaway one). Removed after the file's tests.
 */
export async function freshDatabase(kind: DatabaseKind): Promise<DatabaseOptions & { server?: TestServer }> {
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-db-'));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const sqlitePath = join(dir, 'clipsmith.db');
  if (kind === 'sqlite') return { url: null, sqlitePath };
  const server = await testPostgresDatabase();
  afterAll(() => server.dispose());
  return { url: server.url, sqlitePath, server };
}
