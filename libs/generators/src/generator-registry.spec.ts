import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GeneratorPlugin, ImageGenerator } from './contract.js';
import { GeneratorConfigError } from './errors.js';
import { parseGeneratorEntries } from './generator-config.js';
import { GeneratorRegistry, type RegistryOptions } from './generator-registry.js';
import { OPEN_CAPABILITIES, pngs, ScriptedGenerator } from './test-support/scripted-generator.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'generator-plugin');

const scripted: GeneratorPlugin = {
  name: 'scripted',
  create: (id, options) => {
    if (options['fail'] !== undefined)
      throw new Error(`options.token ${String(options['token'])} was refused`);
    return new ScriptedGenerator(id, async () => {
      throw new Error(`upstream said: invalid token ${String(options['token'])}`);
    });
  },
};

function registryOptions(baseDir = ROOT, builtins: GeneratorPlugin[] = [scripted]): RegistryOptions {
  return { builtins, baseDir, environment: { env: {}, fetch } };
}

async function configError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GeneratorConfigError);
  return (error as Error).message;
}

describe('GeneratorRegistry', () => {
  it('builds built-in plugins and selects by id, or all when none is named', async () => {
    const registry = await GeneratorRegistry.create(
      parseGeneratorEntries([
        { id: 'one', use: 'scripted' },
        { id: 'two', use: 'scripted' },
      ]),
      registryOptions(),
    );
    expect(registry.list().map((g) => g.id)).toEqual(['one', 'two']);
    expect(registry.select(['two']).map((g) => g.id)).toEqual(['two']);
    expect(registry.select([]).map((g) => g.id)).toEqual(['one', 'two']);
    expect(() => registry.select(['three'])).toThrow('unknown generator "three"; configured: one, two');
  });

  it('loads a plugin from a module path, relative to the configuration file', async () => {
    const registry = await GeneratorRegistry.create(
      parseGeneratorEntries([
        { id: 'flat', use: './examples/generator-plugin', options: { fallback: 'blue' } },
      ]),
      registryOptions(),
    );
    const [flat] = registry.list() as [ImageGenerator];
    expect(flat.kind).toBe('solid-colour');
    const [image] = await flat.generate(
      { prompt: 'something red', count: 1, width: 16, height: 8 },
      { signal: new AbortController().signal },
    );
    expect(image).toMatchObject({
      mimeType: 'image/png',
      parameters: { colour: 'red', width: 16, height: 8 },
    });
  });

  it('loads an installed plugin package by name, as a user who ran npm install would', async () => {
    const project = await mkdtemp(join(tmpdir(), 'clipsmith-plugins-'));
    await mkdir(join(project, 'node_modules'));
    await symlink(EXAMPLE, join(project, 'node_modules', 'clipsmith-plugin-solid-colour'), 'dir');
    const registry = await GeneratorRegistry.create(
      parseGeneratorEntries([{ id: 'flat', use: 'clipsmith-plugin-solid-colour' }]),
      registryOptions(project),
    );
    expect(registry.list()[0]!.kind).toBe('solid-colour');
  });

  it('names the entry whose plugin cannot be found or loaded', async () => {
    const entries = parseGeneratorEntries([{ id: 'x', use: 'no-such-plugin-package' }]);
    expect(await configError(GeneratorRegistry.create(entries, registryOptions()))).toMatch(
      /^generators\[0\] \(id x\)\.use: "no-such-plugin-package" is not a built-in plugin, a module path or an installed package/,
    );
    const dir = await mkdtemp(join(tmpdir(), 'clipsmith-plugins-'));
    await writeFile(join(dir, 'broken.mjs'), 'export default { name: 42 };');
    await writeFile(join(dir, 'syntax.mjs'), 'export default {');
    const broken = parseGeneratorEntries([{ id: 'b', use: './broken.mjs' }]);
    expect(await configError(GeneratorRegistry.create(broken, registryOptions(dir)))).toMatch(
      /plugin\.name must be a string/,
    );
    const syntax = parseGeneratorEntries([{ id: 's', use: './syntax.mjs' }]);
    expect(await configError(GeneratorRegistry.create(syntax, registryOptions(dir)))).toMatch(
      /cannot load .*syntax\.mjs/,
    );
  });

  it('validates the generator a plugin builds against the contract, listing every breach', async () => {
    const sloppy: GeneratorPlugin = {
      name: 'sloppy',
      create: () =>
        ({
          id: 'wrong',
          kind: 'k',
          capabilities: { ...OPEN_CAPABILITIES, maxImagesPerCall: 0, seed: 'yes' },
        }) as never,
    };
    const entries = parseGeneratorEntries([{ id: 's', use: 'sloppy' }]);
    const message = await configError(GeneratorRegistry.create(entries, registryOptions(ROOT, [sloppy])));
    expect(message).toBe(
      'generators[0] (id s): the plugin\'s generator breaks the contract: id must be "s" (got "wrong"); ' +
        'generate must be a function; capabilities.seed must be a boolean; capabilities.maxImagesPerCall must be a positive integer',
    );
  });

  it('keeps configured secrets out of configuration and generation errors', async () => {
    const failing = parseGeneratorEntries([
      { id: 'a', use: 'scripted', options: { token: 'hf_supersecret', fail: true } },
    ]);
    const message = await configError(GeneratorRegistry.create(failing, registryOptions()));
    expect(message).toBe('generators[0] (id a): options.token *** was refused');
    const registry = await GeneratorRegistry.create(
      parseGeneratorEntries([
        { id: 'a', use: 'scripted', options: { nested: { apiKey: 'sk-abcdef' }, token: 'hf_supersecret' } },
      ]),
      registryOptions(),
    );
    const error = await registry
      .list()[0]!
      .generate({ prompt: 'x', count: 1 }, { signal: new AbortController().signal })
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe('a failed: upstream said: invalid token ***');
    expect(JSON.stringify(error)).not.toContain('supersecret');
  });

  it('passes a working generator through unchanged', async () => {
    const plugin: GeneratorPlugin = { name: 'ok', create: (id) => new ScriptedGenerator(id, pngs()) };
    const registry = await GeneratorRegistry.create(
      parseGeneratorEntries([{ id: 'ok', use: 'ok' }]),
      registryOptions(ROOT, [plugin]),
    );
    const images = await registry
      .list()[0]!
      .generate({ prompt: 'x', count: 2, seed: 7 }, { signal: new AbortController().signal });
    expect(images.map((i) => i.seed)).toEqual([7, 8]);
  });
});

describe('parseGeneratorEntries', () => {
  it.each([
    [[], 'generators must be a non-empty list'],
    [[{ use: 'procedural' }], 'generators[0].id must be letters'],
    [[{ id: 'a b', use: 'procedural' }], 'generators[0].id must be letters'],
    [
      [
        { id: 'a', use: 'procedural' },
        { id: 'a', use: 'procedural' },
      ],
      'generators[1].id "a" is used twice',
    ],
    [[{ id: 'a' }], 'generators[0].use must name a plugin'],
    [[{ id: 'a', use: 'x', options: [] }], 'generators[0].options must be an object'],
    [[{ id: 'a', use: 'x', option: {} }], 'generators[0] has unknown key option'],
  ])('rejects %j', (value, message) => {
    expect(() => parseGeneratorEntries(value)).toThrow(message);
  });

  it('fills in empty options', () => {
    expect(parseGeneratorEntries([{ id: 'local', use: 'procedural' }])).toEqual([
      { id: 'local', use: 'procedural', options: {} },
    ]);
  });
});
