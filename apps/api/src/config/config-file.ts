import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_GENERATORS, type GeneratorEntry, parseGeneratorEntries } from '#generators';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config-error.js';

/** What the optional configuration file (CONFIG_FILE, JSON or YAML) holds. */
export interface FileConfig {
  /** The folder relative plugin paths resolve from: the file's own folder, or the working directory. */
  baseDir: string;
  generators: GeneratorEntry[];
  fanOut: { perGeneratorTimeoutMs: number; deadlineMs: number; callConcurrency: number };
}

const FAN_OUT_LIMITS = {
  perGeneratorTimeoutMs: { fallback: 60_000, min: 100, max: 3_600_000 },
  deadlineMs: { fallback: 120_000, min: 100, max: 3_600_000 },
  callConcurrency: { fallback: 2, min: 1, max: 64 },
} as const;

const TOP_LEVEL_KEYS = ['generators', 'fanOut'];

/** Reads and validates the configuration file; without one, the procedural generator is the only one. */
export function loadFileConfig(path: string | undefined): FileConfig {
  const defaults = {
    generators: [...DEFAULT_GENERATORS],
    fanOut: Object.fromEntries(
      Object.entries(FAN_OUT_LIMITS).map(([k, v]) => [k, v.fallback]),
    ) as FileConfig['fanOut'],
  };
  if (!path) return { baseDir: process.cwd(), ...defaults };
  const file = resolve(path);
  const raw = readConfigDocument(file);
  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_KEYS.includes(key)) {
      throw new ConfigError(`${file}: ${key}`, `is not a known key (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
    }
  }
  let generators = defaults.generators;
  if (raw['generators'] !== undefined) {
    try {
      generators = parseGeneratorEntries(raw['generators']);
    } catch (error) {
      throw new ConfigError(file, `is invalid: ${(error as Error).message}`);
    }
  }
  return { baseDir: dirname(file), generators, fanOut: parseFanOut(file, raw['fanOut']) };
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

function parseFanOut(file: string, value: unknown): FileConfig['fanOut'] {
  const raw = (value ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(`${file}: fanOut`, 'must be a mapping');
  const result = {} as Record<string, number>;
  for (const [key, { fallback, min, max }] of Object.entries(FAN_OUT_LIMITS)) {
    const v = raw[key] ?? fallback;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw new ConfigError(
        `${file}: fanOut.${key}`,
        `must be an integer from ${min} to ${max} (got ${JSON.stringify(v)})`,
      );
    }
    result[key] = v;
  }
  for (const key of Object.keys(raw)) {
    if (!(key in FAN_OUT_LIMITS)) throw new ConfigError(`${file}: fanOut.${key}`, 'is not a known setting');
  }
  return result as FileConfig['fanOut'];
}
