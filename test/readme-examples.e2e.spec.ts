import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';

const README = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
/** Every shell block the README marks with `<!-- example:NAME -->`. */
const EXAMPLES = [...README.matchAll(/<!-- example:([\w-]+) -->\n+```sh\n([\s\S]*?)```/g)].map((m) => ({
  name: m[1]!,
  script: m[2]!,
}));

let app: RunningApp;
beforeAll(async () => {
  app = await startApp({ DATA_DIR: await mkdtemp(join(tmpdir(), 'clipsmith-readme-')) });
  await waitForOk(app.url, '/readyz');
});
afterAll(() => app?.stop());

describe('README examples, as pasted', () => {
  it('marks the generate, edit and scoreCaptions examples', () => {
    expect(EXAMPLES.map((e) => e.name)).toEqual(['generate', 'edit', 'score-captions']);
  });

  it.each(EXAMPLES)('$name runs and answers without errors', ({ script }) => {
    const output = execFileSync(
      'bash',
      ['-euo', 'pipefail', '-c', script.replaceAll('http://127.0.0.1:3000', app.url)],
      {
        encoding: 'utf8',
      },
    );
    const answer = JSON.parse(output.trim().split('\n').at(-1)!) as {
      data?: Record<string, unknown>;
      errors?: unknown;
    };
    expect(answer.errors).toBeUndefined();
    expect(Object.keys(answer.data ?? {})).toHaveLength(1);
  });
});
