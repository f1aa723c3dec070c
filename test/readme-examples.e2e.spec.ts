import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';

const README = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
/** Every shell block the README marks with `<!-- example:NAME -->`. */
const EXAMPLES = [...README.matchAll(/<!-- example:([\w-]+) -->\n+```sh\n([\s\S]*?)```/g)].map((m) => ({
  name: m[1]!,
  script: m[2]!,
}));

interface EditAnswer {
  accepted: boolean;
  outsideChange: number;
  region: { x: number; y: number; width: number; height: number };
  asset: { url: string };
  operations: unknown[];
}

/** The RGB of one pixel of an encoded image. */
async function pixel(bytes: Buffer, x: number, y: number): Promise<[number, number, number]> {
  const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const p = (Math.round(y) * info.width + Math.round(x)) * 3;
  return [data[p]!, data[p + 1]!, data[p + 2]!];
}

let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ DATA_DIR: await mkdtemp(join(tmpdir(), 'clipsmith-readme-')) });
  await waitForOk(app.url, '/readyz');
});
afterAll(() => app?.stop());

describe('README examples, as pasted', () => {
  it('marks the generate, edit, scoreCaptions and OpenAI-compatible examples', () => {
    expect(EXAMPLES.map((e) => e.name)).toEqual([
      'generate',
      'edit',
      'score-captions',
      'min-percentile',
      'openai-generate',
      'openai-edit',
    ]);
  });

  /** What each example's answer must say beyond having no errors: what the README tells a user to expect. */
  const EXPECTED: Record<string, (data: Record<string, unknown> | unknown[]) => Promise<void> | void> = {
    // The search (the last answer) keeps the green stars just generated and drops the other examples' assets.
    'min-percentile': (data) => {
      const search = (data as Record<string, unknown>)['searchAssets'] as {
        hits: { percentile: number; asset: { prompt: string | null } }[];
        droppedBelowPercentile: number;
      };
      expect(search.hits.map((h) => h.asset.prompt)).toContain('a green star on a white background');
      for (const hit of search.hits) expect(hit.percentile).toBeGreaterThan(95);
      expect(search.droppedBelowPercentile).toBeGreaterThan(0);
    },
    // Two different edits, each at the size asked.
    'openai-edit': async (data) => {
      const items = data as { url: string; clipsmith: { asset_id: string; rank: number } }[];
      expect(items.map((i) => i.clipsmith.rank)).toEqual([1, 2]);
      expect(new Set(items.map((i) => i.clipsmith.asset_id)).size).toBe(2);
      for (const item of items) {
        // curl, as the README would: the examples run synchronously, so a pooled fetch socket may be stale.
        const bytes = execFileSync('curl', ['-sf', item.url]);
        expect(await sharp(bytes).metadata()).toMatchObject({ width: 256, height: 256 });
      }
    },
    // The circle turns green, the white around it stays white.
    edit: async (data) => {
      const edit = (data as Record<string, unknown>)['editImage'] as EditAnswer;
      expect(edit).toMatchObject({ accepted: true, part: 'circle', reason: null });
      expect(edit.operations.length).toBeGreaterThan(0);
      expect(edit.outsideChange).toBeLessThan(2);
      const bytes = Buffer.from(await (await fetch(new URL(edit.asset.url, app.url))).arrayBuffer());
      const { x, y, width, height } = edit.region;
      const [r, g, b] = await pixel(bytes, x + width / 2, y + height / 2);
      expect(g).toBeGreaterThan(Math.max(r, b) + 40);
      expect(Math.min(...(await pixel(bytes, 2, 2)))).toBeGreaterThan(200);
    },
  };

  it.each(EXAMPLES)('$name runs and answers as the README says', async ({ name, script }) => {
    const output = execFileSync(
      'bash',
      ['-euo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:3000', app.url)],
      {
        encoding: 'utf8',
      },
    );
    const answer = JSON.parse(output.trim().split('\n').at(-1)!) as {
      data?: Record<string, unknown> | unknown[];
      errors?: unknown;
      error?: unknown;
    };
    expect(answer.errors).toBeUndefined();
    expect(answer.error).toBeUndefined();
    // GraphQL answers the one field asked; OpenAI's API a list of images.
    if (Array.isArray(answer.data)) expect(answer.data.length).toBeGreaterThan(0);
    else expect(Object.keys(answer.data ?? {})).toHaveLength(1);
    await EXPECTED[name]?.(answer.data!);
  });
});
