import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARITY_MODEL } from './parity-fixture.js';

/** A writable copy of the parity model, so a test can remove or break pieces of it. */
export async function copyParityModel(
  filter: (relativePath: string) => boolean = () => true,
): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'clipsmith-model-')), 'model');
  await cp(PARITY_MODEL, dir, {
    recursive: true,
    filter: (source) => filter(source.slice(PARITY_MODEL.length).replace(/^\//, '')),
  });
  return dir;
}
