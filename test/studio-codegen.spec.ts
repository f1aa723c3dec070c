import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type CodegenConfig, generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = join(import.meta.dirname, '..');

describe('the Studio’s typed documents (apps/web/src/gql)', () => {
  it('are what `npm run codegen` makes of schema.gql and the page’s documents today', async () => {
    const config = parse(await readFile(join(ROOT, 'apps/web/codegen.yml'), 'utf8')) as CodegenConfig;
    const outputs = await generate({ ...config, cwd: ROOT, silent: true }, false);
    expect(outputs.length).toBeGreaterThan(0);
    for (const output of outputs) {
      const committed = await readFile(join(ROOT, output.filename), 'utf8');
      expect([output.filename, committed]).toEqual([output.filename, output.content]);
    }
  });
});
