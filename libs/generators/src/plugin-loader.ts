import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratorPlugin } from './contract.js';
import { GeneratorConfigError } from './errors.js';

/**
 * Loads a third-party plugin: a module path (relative to `baseDir`, the configuration file's folder)
 * or a package name installed where `baseDir` can resolve it. The module's default export, or its
 * named export `plugin`, must be a GeneratorPlugin.
 */
export async function loadPluginModule(
  use: string,
  baseDir: string,
  where: string,
): Promise<GeneratorPlugin> {
  let file: string;
  try {
    // Node's resolver handles files, folders with a package.json "main", and installed packages alike.
    file = createRequire(resolve(baseDir, 'noop.js')).resolve(use);
  } catch (cause) {
    throw new GeneratorConfigError(
      `${where}.use: "${use}" is not a built-in plugin, a module path or an installed package (resolved from ${baseDir})`,
      { cause },
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (cause) {
    throw new GeneratorConfigError(`${where}.use: cannot load ${file}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const plugin = module['default'] ?? module['plugin'];
  assertPlugin(plugin, `${where}.use (${use})`);
  return plugin;
}

export function assertPlugin(value: unknown, where: string): asserts value is GeneratorPlugin {
  const plugin = value as Partial<GeneratorPlugin> | undefined;
  if (typeof plugin !== 'object' || plugin === null) {
    throw new GeneratorConfigError(`${where}: the module exports no plugin (default export or "plugin")`);
  }
  if (typeof plugin.name !== 'string')
    throw new GeneratorConfigError(`${where}: plugin.name must be a string`);
  if (typeof plugin.create !== 'function')
    throw new GeneratorConfigError(`${where}: plugin.create must be a function`);
}
