import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { assetIdOf, isAssetId } from './asset-id.js';

const EXTENSION = /^[a-z0-9]{1,8}$/;
/**
 * `<sha256>.<host>-<pid>-<random>.tmp`: unique per write, so two writers never share a half-written file,
 * and naming its writer, so a restart can tell the leftovers of a killed process from live writes.
 */
const TEMP_FILE = /^[0-9a-f]{64}\.(?:([0-9a-f]{8})-(\d+)-)?[0-9a-f]{12}\.tmp$/;
/** This machine, as temp names carry it: a pid means something only on the host that wrote it. */
const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
/** When this process started: a temp file of our own pid older than that is a predecessor's (containers reuse pids). */
const STARTED_AT = Date.now() - process.uptime() * 1000;

/**
 * Content-addressed files: `<root>/<first 2 hex>/<sha256>.<ext>`. A file appears under its final name
 * only once it is complete and synced (temp file in the same folder, fsync, rename), so a crash leaves
 * at most a temp file, which nothing reads and `removeStaleTempFiles()` deletes.
 */
export class FileStore {
  constructor(readonly root: string) {}

  /** The file of an asset; throws for anything but a hex id and a plain extension (no paths). */
  pathOf(id: string, ext: string): string {
    if (!isAssetId(id)) throw new TypeError(`not an asset id: ${JSON.stringify(id).slice(0, 80)}`);
    if (!EXTENSION.test(ext))
      throw new TypeError(`not a file extension: ${JSON.stringify(ext).slice(0, 20)}`);
    return join(this.root, id.slice(0, 2), `${id}.${ext}`);
  }

  /**
   * Stores the bytes under their SHA-256 and returns it; bytes already stored are not written again.
   * `sha256` is the hash when the caller has taken it already (a verified image), so it is not taken twice.
   */
  async write(bytes: Uint8Array, ext: string, sha256: string = assetIdOf(bytes)): Promise<string> {
    const id = sha256;
    const path = this.pathOf(id, ext);
    // The name is the content, so a file of the right size is these bytes. One of another size was
    // damaged outside the store, and is replaced like a missing one.
    if ((await sizeOf(path)) === bytes.byteLength) return id;
    const dir = dirname(path);
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `${id}.${HOST}-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
    try {
      const file = await open(temp, 'wx');
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await syncDirectory(dir);
    return id;
  }

  /** A stream of the file; the file is opened first, so a missing one rejects here, not mid-response. */
  async open(id: string, ext: string): Promise<Readable> {
    const file = await open(this.pathOf(id, ext), 'r');
    return file.createReadStream();
  }

  /**
   * Deletes temp files that crashed writes left behind: those whose writer, on this host, is gone, and
   * any older than `olderThanMs`. A younger one from another host may belong to a write still running
   * in a process sharing the folder.
   */
  async removeStaleTempFiles(olderThanMs = 60 * 60 * 1000): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const shard of await readdir(this.root, { withFileTypes: true }).catch(ifMissing([]))) {
      if (!shard.isDirectory()) continue;
      const dir = join(this.root, shard.name);
      for (const name of await readdir(dir)) {
        const temp = TEMP_FILE.exec(name);
        if (!temp) continue;
        const path = join(dir, name);
        const info = await stat(path).catch(ifMissing(null));
        if (!info) continue;
        const [, host, pid] = temp;
        if (info.mtimeMs < cutoff || (host && writerIsGone(host, Number(pid), info.mtimeMs))) {
          await rm(path, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }
}

/** Whether the process that wrote a temp file on this host has ended (killed mid-write, say). */
function writerIsGone(host: string, pid: number, writtenAt: number): boolean {
  if (host !== HOST) return false;
  if (pid === process.pid) return writtenAt < STARTED_AT;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function sizeOf(path: string): Promise<number | null> {
  return stat(path).then((info) => info.size, ifMissing(null));
}

function ifMissing<T>(fallback: T): (error: NodeJS.ErrnoException) => T {
  return (error) => {
    if (error.code === 'ENOENT') return fallback;
    throw error;
  };
}

/** Makes the rename itself durable. Windows cannot open a folder to sync it. */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
