import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Fetches each asset a run reported stored; the ids whose bytes are missing or do not hash to the id. */
export async function missingAssets(url: string, ids: Iterable<string>): Promise<string[]> {
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const response = await fetch(`${url}/assets/${id}`);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200 || sha256(bytes) !== id) missing.push(id);
  }
  return missing;
}

export interface StoreCheck {
  rows: number;
  files: number;
  /** Files no row points at: what a crash between file and row leaves, adopted by a later store. */
  orphanFiles: number;
  tempFiles: number;
  /** What is wrong; empty when the store is consistent. */
  problems: string[];
}

/** The asset files of a data folder by id, and how many temp files lie beside them. */
export async function storeFiles(
  dataDir: string,
): Promise<{ files: Map<string, string>; tempFiles: number }> {
  const root = join(dataDir, 'assets');
  const files = new Map<string, string>();
  let tempFiles = 0;
  for (const shard of await readdir(root).catch(() => [])) {
    for (const name of await readdir(join(root, shard))) {
      if (name.endsWith('.tmp')) tempFiles++;
      else files.set(name.split('.')[0]!, join(root, shard, name));
    }
  }
  return { files, tempFiles };
}

/**
 * Waits until the server on `dataDir` has no job waiting or running: a restart takes up again the jobs
 * a kill interrupted (a synchronous `generate` is one), and those write while they run.
 */
export async function jobsSettled(dataDir: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const db = new Database(join(dataDir, 'clipsmith.db'), { readonly: true, fileMustExist: true });
    let active: number;
    try {
      active = db
        .prepare("SELECT count(*) FROM jobs WHERE state IN ('QUEUED', 'RUNNING')")
        .pluck()
        .get() as number;
    } finally {
      db.close();
    }
    if (active === 0) return;
    if (Date.now() > deadline) throw new Error(`${active} jobs still unfinished after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Reads the data folder as it lies on disk (the server may be running: WAL lets it be read): the
 * database passes its integrity check, every row's file is there and hashes to its id, no temp file
 * remains. Rows are read before files are listed: a row is written only once its file is in place,
 * so a write landing mid-check cannot look like a row without its file.
 */
export async function checkStore(dataDir: string): Promise<StoreCheck> {
  const db = new Database(join(dataDir, 'clipsmith.db'), { readonly: true, fileMustExist: true });
  const problems: string[] = [];
  let ids: string[];
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const dangling = db.pragma('foreign_key_check') as unknown[];
    if (dangling.length > 0) problems.push(`${dangling.length} rows break a foreign key`);
    ids = (db.prepare('SELECT id FROM assets').pluck().all() as string[]).sort();
  } finally {
    db.close();
  }
  const { files, tempFiles } = await storeFiles(dataDir);
  for (const id of ids) {
    const path = files.get(id);
    if (!path) problems.push(`row ${id} has no file`);
    else if (sha256(await readFile(path)) !== id) problems.push(`the file of ${id} does not hash to it`);
  }
  if (tempFiles > 0) problems.push(`${tempFiles} temp files remain`);
  const rows = new Set(ids);
  return {
    rows: ids.length,
    files: files.size,
    orphanFiles: [...files.keys()].filter((id) => !rows.has(id)).length,
    tempFiles,
    problems,
  };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
