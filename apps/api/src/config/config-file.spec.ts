import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FAN_OUT } from '#generators';
import { describe, expect, it } from 'vitest';
import { loadFileConfig } from './config-file.js';

async function file(name: string, text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'clipsmith-config-')), name);
  await writeFile(path, text);
  return path;
}

describe('loadFileConfig', () => {
  it('defaults to the procedural generator and the fan-out defaults without a file', () => {
    expect(loadFileConfig(undefined)).toMatchObject({
      generators: [{ id: 'procedural', use: 'procedural', options: {} }],
      fanOut: DEFAULT_FAN_OUT,
    });
  });

  it('reads the documented YAML shape', async () => {
    const path = await file(
      'clipsmith.yaml',
      `generators:
  - { id: local, use: procedural }
  - { id: hf, use: huggingface, options: { model: black-forest-labs/FLUX.1-schnell, provider: hf-inference,
                                           endpointUrl: http://127.0.0.1:9000/x, token: hf_x, timeoutMs: 60000 } }
  - { id: oai, use: openai-images, options: { baseUrl: http://127.0.0.1:9001/v1, apiKey: sk-x, model: gpt-image-1 } }
  - { id: sd, use: automatic1111, options: { baseUrl: http://127.0.0.1:7860 } }
fanOut: { perGeneratorTimeoutMs: 5000 }
`,
    );
    const config = loadFileConfig(path);
    expect(config.generators.map((g) => [g.id, g.use])).toEqual([
      ['local', 'procedural'],
      ['hf', 'huggingface'],
      ['oai', 'openai-images'],
      ['sd', 'automatic1111'],
    ]);
    expect(config.generators[1]!.options).toMatchObject({ provider: 'hf-inference', timeoutMs: 60000 });
    expect(config.fanOut).toEqual({ perGeneratorTimeoutMs: 5000, deadlineMs: 120_000, callConcurrency: 2 });
    expect(config.baseDir).toBe(join(path, '..'));
  });

  it('reads JSON', async () => {
    const path = await file('c.json', JSON.stringify({ generators: [{ id: 'p', use: 'procedural' }] }));
    expect(loadFileConfig(path).generators).toEqual([{ id: 'p', use: 'procedural', options: {} }]);
  });

  it.each([
    ['c.yaml', 'generators: [ { id: a', /c\.yaml is not valid YAML/],
    ['c.json', '{ "generators": ', /c\.json is not valid JSON/],
    ['c.yaml', 'generatrs: []', /c\.yaml: generatrs is not a known key \(allowed: generators, fanOut\)/],
    [
      'c.yaml',
      'generators: [{ id: a, use: procedural }, { id: a, use: procedural }]',
      /generators\[1\]\.id "a" is used twice/,
    ],
    [
      'c.yaml',
      'fanOut: { deadlineMs: fast }',
      /fanOut\.deadlineMs must be an integer from 100 to 3600000 \(got "fast"\)/,
    ],
    ['c.yaml', 'fanOut: { deadline: 5 }', /fanOut\.deadline is not a known setting/],
    ['c.yaml', '- just a list', /must hold a mapping of settings/],
    ['c.yaml', 'fanOut: fast', /c\.yaml: fanOut must be a mapping \(got "fast"\)/],
    [
      'c.yaml',
      'fanOut: { callConcurrency: 0 }',
      /fanOut\.callConcurrency must be an integer from 1 to 64 \(got 0\)/,
    ],
  ])('rejects %s holding %j, naming the key', async (name, text, message) => {
    const path = await file(name, text);
    expect(() => loadFileConfig(path)).toThrow(message);
  });

  it('names an unreadable file', () => {
    expect(() => loadFileConfig('/nonexistent/clipsmith.yaml')).toThrow(/CONFIG_FILE cannot be read/);
  });
});
