import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** Where `npm run build` puts the page. */
const STUDIO_DIR = join(import.meta.dirname, '..', 'dist', 'web');

/** The main bundle's budget: what the page loads before it shows anything (GraphiQL is a lazy chunk). */
const BUDGET_BYTES = 250 * 1024;

/** The scripts and styles index.html loads at once (entry + modulepreload + stylesheet), gzipped. */
async function initialLoadGzipped(): Promise<{ files: string[]; bytes: number }> {
  const html = await readFile(join(STUDIO_DIR, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(static\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(await readFile(join(STUDIO_DIR, file)), { level: 9 }).length;
  return { files, bytes };
}

describe('the built Studio page (npm run build)', () => {
  it(`loads at most ${BUDGET_BYTES / 1024} KB gzipped up front, and no GraphiQL`, async () => {
    const { files, bytes } = await initialLoadGzipped();
    expect(files.some((f) => f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => /graphiql|monaco/i.test(f))).toBe(false);
    expect(bytes).toBeLessThanOrEqual(BUDGET_BYTES);
    console.log(`Studio initial load: ${(bytes / 1024).toFixed(1)} KB gzipped (${files.join(', ')})`);
  });
});
