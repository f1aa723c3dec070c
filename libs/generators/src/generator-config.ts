import { GeneratorConfigError } from './errors.js';

/** One `generators:` entry of the configuration file. */
export interface GeneratorEntry {
  id: string;
  /** A built-in plugin name, a module path, or an installed package name. */
  use: string;
  options: Record<string, unknown>;
}

/** With no configuration, the one generator is the offline procedural renderer. */
export const DEFAULT_GENERATORS: readonly GeneratorEntry[] = [
  { id: 'procedural', use: 'procedural', options: {} },
];

const ID = /^[A-Za-z0-9][\w.-]{0,63}$/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates the `generators` list of a configuration file, naming the first bad entry and key. */
export function parseGeneratorEntries(value: unknown, source = 'generators'): GeneratorEntry[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new GeneratorConfigError(`${source} must be a non-empty list of { id, use, options } entries`);
  }
  const seen = new Set<string>();
  return value.map((entry: unknown, i) => {
    const where = `${source}[${i}]`;
    if (!isObject(entry)) throw new GeneratorConfigError(`${where} must be an object with id and use`);
    const { id, use, options = {}, ...rest } = entry;
    const unknown = Object.keys(rest);
    if (unknown.length > 0)
      throw new GeneratorConfigError(`${where} has unknown key ${unknown[0]} (allowed: id, use, options)`);
    if (typeof id !== 'string' || !ID.test(id)) {
      throw new GeneratorConfigError(
        `${where}.id must be letters, digits, '.', '_' or '-' (got ${JSON.stringify(id)})`,
      );
    }
    if (seen.has(id)) throw new GeneratorConfigError(`${where}.id "${id}" is used twice`);
    seen.add(id);
    if (typeof use !== 'string' || use.trim() === '') {
      throw new GeneratorConfigError(
        `${where}.use must name a plugin (e.g. procedural, huggingface) or a module`,
      );
    }
    if (!isObject(options)) throw new GeneratorConfigError(`${where}.options must be an object`);
    return { id, use, options };
  });
}
