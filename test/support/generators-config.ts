import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FakeUpstream } from '#generators/test-support';

/**
 * Writes `<dir>/clipsmith.yaml` with two generators, the procedural `local` and `oai`, an
 * OpenAI-compatible fake upstream that a test makes slow or failing; `extra` is YAML added after them.
 * Returns the file's path, for CONFIG_FILE.
 */
export async function writeGeneratorsConfig(
  dir: string,
  openai: FakeUpstream,
  apiKey: string,
  extra = '',
): Promise<string> {
  const path = join(dir, 'clipsmith.yaml');
  await writeFile(
    path,
    `generators:
  - { id: local, use: procedural }
  - { id: oai, use: openai-images, options: { baseUrl: ${openai.url}/v1, apiKey: ${apiKey}, model: dall-e-2, retries: 0 } }
${extra}`,
  );
  return path;
}
