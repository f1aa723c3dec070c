import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdir, readdir, readFile, stat, truncate, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { beforeEach, describe, expect, it } from 'vitest';
import { assetIdOf } from './asset-id.js';
import { FileStore } from './file-store.js';
import { tempDir } from './test-support/fixtures.js';

/** The pid of a process that has ended, as a write killed mid-way leaves in its temp file's name. */
async function exitedPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

let store: FileStore;
beforeEach(async () => {
  store = new FileStore(join(await tempDir(), 'assets'));
});

describe('FileStore', () => {
  it('stores bytes under <first 2 hex>/<sha256>.<ext> and reads them back', async () => {
    const bytes = randomBytes(100_000);
    const id = await store.write(bytes, 'png');
    expect(id).toBe(assetIdOf(bytes));
    expect(store.pathOf(id, 'png')).toBe(join(store.root, id.slice(0, 2), `${id}.png`));
    expect(await readFile(store.pathOf(id, 'png'))).toEqual(bytes);
    expect(await buffer(await store.open(id, 'png'))).toEqual(bytes);
  });

  it('does not write the same bytes twice', async () => {
    const bytes = randomBytes(1000);
    const id = await store.write(bytes, 'jpg');
    const first = await stat(store.pathOf(id, 'jpg'));
    expect(await store.write(Buffer.from(bytes), 'jpg')).toBe(id);
    const second = await stat(store.pathOf(id, 'jpg'));
    expect([second.ino, second.mtimeMs]).toEqual([first.ino, first.mtimeMs]);
  });

  it('leaves only complete files, also under concurrent writes of the same bytes', async () => {
    const bytes = randomBytes(300_000);
    const ids = await Promise.all(Array.from({ length: 4 }, () => store.write(bytes, 'webp')));
    const id = ids[0]!;
    expect(new Set(ids)).toEqual(new Set([id]));
    expect(await readdir(join(store.root, id.slice(0, 2)))).toEqual([`${id}.webp`]);
    expect(await readFile(store.pathOf(id, 'webp'))).toEqual(bytes);
  });

  it('ignores the temp file of a crashed write, writes over it, and removes it once stale', async () => {
    const bytes = randomBytes(5000);
    const id = assetIdOf(bytes);
    const dir = join(store.root, id.slice(0, 2));
    await mkdir(dir, { recursive: true });
    // What a crash between write and rename leaves: half the bytes, under a temp name.
    const stale = join(dir, `${id}.0123456789ab.tmp`);
    const fresh = join(dir, `${id}.ba9876543210.tmp`);
    await writeFile(stale, bytes.subarray(0, 2500));
    await writeFile(fresh, bytes.subarray(0, 100));
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(stale, twoHoursAgo, twoHoursAgo);

    await expect(store.open(id, 'png')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.write(bytes, 'png')).toBe(id);
    expect(await readFile(store.pathOf(id, 'png'))).toEqual(bytes);

    expect(await store.removeStaleTempFiles()).toBe(1);
    expect((await readdir(dir)).sort()).toEqual([`${id}.ba9876543210.tmp`, `${id}.png`].sort());
    expect(await store.removeStaleTempFiles(0)).toBe(1);
    expect(await readdir(dir)).toEqual([`${id}.png`]);
  });

  it('replaces a final file damaged outside the store', async () => {
    const bytes = randomBytes(4000);
    const id = await store.write(bytes, 'gif');
    await truncate(store.pathOf(id, 'gif'), 1000);
    await store.write(bytes, 'gif');
    expect(await readFile(store.pathOf(id, 'gif'))).toEqual(bytes);
  });

  it('removes at once the temp files of writers on this host that are gone, keeping live ones', async () => {
    const dir = join(store.root, 'ab');
    await mkdir(dir, { recursive: true });
    const temp = (host: string, pid: number) => `ab${'0'.repeat(62)}.${host}-${pid}-0123456789ab.tmp`;
    const host = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const dead = await exitedPid();
    const names = {
      killed: temp(host, dead),
      ours: temp(host, process.pid),
      parent: temp(host, process.ppid),
      elsewhere: temp(host === '00000000' ? '11111111' : '00000000', dead),
      predecessor: temp(host, process.pid).replace('0123456789ab', 'ba9876543210'),
    };
    for (const name of Object.values(names)) await writeFile(join(dir, name), 'half an image');
    // A predecessor that had our pid (a restarted container) wrote before this process started.
    const beforeStart = new Date(Date.now() - process.uptime() * 1000 - 60_000);
    await utimes(join(dir, names.predecessor), beforeStart, beforeStart);

    expect(await store.removeStaleTempFiles()).toBe(2);
    expect((await readdir(dir)).sort()).toEqual([names.ours, names.parent, names.elsewhere].sort());
  });

  it('finds nothing to clean in a store never written to', async () => {
    expect(await store.removeStaleTempFiles(0)).toBe(0);
  });

  it.each([
    ['../../../etc/passwd', 'png'],
    ['..', 'png'],
    ['A'.repeat(64), 'png'],
    ['a'.repeat(63), 'png'],
    [`${'a'.repeat(64)}/x`, 'png'],
    ['a'.repeat(64), '../png'],
    ['a'.repeat(64), 'png/..'],
    ['a'.repeat(64), ''],
  ])('never turns %j with extension %j into a path', async (id, ext) => {
    expect(() => store.pathOf(id, ext)).toThrow(TypeError);
    await expect(store.open(id, ext)).rejects.toThrow(TypeError);
  });
});
