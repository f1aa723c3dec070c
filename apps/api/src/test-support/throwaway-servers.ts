import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';

const run = promisify(execFile);

/** A real server for a test: its URL, and how to stop it (and, for throwaway ones, start it again). */
export interface TestServer {
  url: string;
  /** True when the test owns the process, so it may stop and restart it (fault tests). */
  throwaway: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes what it wrote. */
  dispose(): Promise<void>;
}

export class MissingServerError extends Error {
  constructor(what: string, debianPackage: string, variable: string) {
    super(
      `${what} is needed by the distributed tests and was not found: install the Debian package ` +
        `\`${debianPackage}\` (apt-get install -y ${debianPackage}) or set ${variable} to a running server`,
    );
  }
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function findBinary(name: string, extraDirs: string[] = []): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(':'), ...extraDirs].filter(Boolean);
  for (const dir of dirs) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return null;
}

function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .reverse()
    .map((version) => join(root, version, 'bin'));
}

/**
 * A PostgreSQL database of its own: a fresh database on DATABASE_URL's server when it is set (and
 * `throwaway` is not required), else a throwaway server from initdb/pg_ctl in a temp folder.
 */
export async function testPostgres(options: { throwaway?: boolean } = {}): Promise<TestServer> {
  const shared = process.env['DATABASE_URL'];
  if (shared && !options.throwaway) return freshDatabase(shared);
  const initdb = findBinary('initdb', postgresBinDirs());
  const pgCtl = findBinary('pg_ctl', postgresBinDirs());
  if (!initdb || !pgCtl)
    throw new MissingServerError('PostgreSQL (initdb, pg_ctl)', 'postgresql', 'DATABASE_URL');
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-pg-'));
  const port = await freePort();
  // PostgreSQL refuses to run as root: as root, the cluster belongs to the postgres account.
  const asUser = userInfo().uid === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asUser.length > 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout), Number(gid));
  }
  const exec = (binary: string, args: string[]) =>
    asUser.length > 0 ? run(asUser[0]!, [...asUser.slice(1), binary, ...args]) : run(binary, args);
  const data = join(dir, 'data');
  await exec(initdb, ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async (): Promise<void> => {
    await exec(pgCtl, ['-D', data, '-w', '-l', join(dir, 'log'), '-o', serverOptions, 'start']);
  };
  const stop = async (): Promise<void> => {
    await exec(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  await start();
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await withClient(admin, (client) => client.query('CREATE DATABASE clipsmith'));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/clipsmith`,
    throwaway: true,
    start,
    stop,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let sharedServer: Promise<TestServer> | null = null;

/**
 * An empty PostgreSQL database of its own: on DATABASE_URL's server when it is set, else on one
 * throwaway server this process starts on first use (a fresh database is much quicker than a fresh
 * server); stopSharedPostgres stops that one.
 */
export async function testPostgresDatabase(): Promise<TestServer> {
  const shared = process.env['DATABASE_URL'];
  if (shared) return freshDatabase(shared);
  sharedServer ??= testPostgres({ throwaway: true });
  const admin = new URL((await sharedServer).url);
  admin.pathname = '/postgres';
  return freshDatabase(admin.toString());
}

export async function stopSharedPostgres(): Promise<void> {
  const server = sharedServer;
  sharedServer = null;
  await (await server)?.dispose();
}

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

async function freshDatabase(serverUrl: string): Promise<TestServer> {
  const name = `clipsmith_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const refuse = async (): Promise<void> => {
    throw new Error('a shared DATABASE_URL server cannot be stopped by a test');
  };
  return {
    url: url.toString(),
    throwaway: false,
    stop: refuse,
    start: refuse,
    async dispose() {
      await withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/**
 * A Redis of its own: REDIS_URL's server when it is set (callers keep to their own key prefix), else a
 * throwaway redis-server without persistence on a free port.
 */
export async function testRedis(options: { throwaway?: boolean } = {}): Promise<TestServer> {
  const shared = process.env['REDIS_URL'];
  if (shared && !options.throwaway) {
    const refuse = async (): Promise<void> => {
      throw new Error('a shared REDIS_URL server cannot be stopped by a test');
    };
    return { url: shared, throwaway: false, stop: refuse, start: refuse, dispose: async () => undefined };
  }
  const binary = findBinary('redis-server');
  if (!binary) throw new MissingServerError('Redis (redis-server)', 'redis-server', 'REDIS_URL');
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-redis-'));
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ReturnType<typeof spawn> | null = null;
  const start = async (): Promise<void> => {
    child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      {
        stdio: 'ignore',
      },
    );
    await untilRedisAnswers(url);
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    throwaway: true,
    start,
    stop,
    async dispose() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function untilRedisAnswers(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      client.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
