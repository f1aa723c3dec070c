import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_FAN_OUT, DEFAULT_GENERATORS, type GeneratorEntry, parseGeneratorEntries } from '#generators';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from './config-error.js';
import { integer, parseSettings } from './settings.js';

const fanOutSchema = z.strictObject(
  {
    perGeneratorTimeoutMs: integer(DEFAULT_FAN_OUT.perGeneratorTimeoutMs, 100, 3_600_000),
    deadlineMs: integer(DEFAULT_FAN_OUT.deadlineMs, 100, 3_600_000),
    callConcurrency: integer(DEFAULT_FAN_OUT.callConcurrency, 1, 64),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'is not a known setting' : 'must be a mapping') },
);

const documentShape = { generators: z.unknown().optional(), fanOut: fanOutSchema.prefault({}) };

const documentSchema = z.strictObject(documentShape, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `is not a known key (allowed: ${Object.keys(documentShape).join(', ')})`
      : undefined,
});

/** What the optional configuration file (CONFIG_FILE, JSON or YAML) holds. */
export interface FileConfig {
  /** The folder relative plugin paths resolve from: the file's own folder, or the working directory. */
  baseDir: string;
  generators: GeneratorEntry[];
  fanOut: z.output<typeof fanOutSchema>;
}

/** Reads and validates the configuration file; without one, the procedural generator is the only one. */
export function loadFileConfig(path: string | undefined): FileConfig {
  if (!path)
    return { baseDir: process.cwd(), generators: [...DEFAULT_GENERATORS], fanOut: fanOutSchema.parse({}) };
  const file = resolve(path);
  const raw = parseSettings(documentSchema, readConfigDocument(file), (key) => `${file}: ${key}`);
  let generators = [...DEFAULT_GENERATORS];
  if (raw.generators !== undefined) {
    try {
      generators = parseGeneratorEntries(raw.generators);
    } catch (error) {
      throw new ConfigError(file, `is invalid: ${(error as Error).message}`);
    }
  }
  return { baseDir: dirname(file), generators, fanOut: raw.fanOut };
}

function readConfigDocument(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('CONFIG_FILE', `cannot be read: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      file,
      `is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(file, 'must hold a mapping of settings');
  return value as Record<string, unknown>;
}
