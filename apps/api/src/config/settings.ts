import { z } from 'zod';
import { ConfigError } from './config-error.js';

/** What the README's settings table says about a setting; its default is read from the schema itself. */
export interface SettingDoc {
  meaning: string;
  /** Shown instead of the default value where the value alone would not tell (`all cores`, `bundled model`). */
  shownDefault?: string;
  /** Byte counts read better as KiB/MiB/GiB. */
  unit?: 'bytes';
}

export const settingDocs = z.registry<SettingDoc>();

/** An integer from min to max; the bounds are part of the message a person sees. */
export function integer(fallback: number, min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback);
}

/** One of the allowed values, listed in the message from the same array the type comes from. */
export function oneOf<const T extends readonly [string, ...string[]]>(allowed: T, fallback: T[number]) {
  return z.enum(allowed, { error: `must be one of ${allowed.join(', ')}` }).default(fallback);
}

/** Environment variables are strings, and an empty one means unset. */
const unsetIfEmpty = (raw: unknown) => (raw === '' ? undefined : raw);

/** A setting read from one environment variable. */
export function fromEnv<T extends z.ZodType>(schema: T, doc: SettingDoc) {
  return documented(z.preprocess(unsetIfEmpty, schema), doc);
}

function documented<T extends z.ZodType>(schema: T, doc: SettingDoc): T {
  settingDocs.add(schema, doc);
  return schema;
}

/** An integer setting read from one environment variable. */
export function envInteger(fallback: number, min: number, max: number, doc: SettingDoc) {
  const toNumber = (raw: unknown) => (typeof raw === 'string' && raw !== '' ? Number(raw) : undefined);
  return documented(z.preprocess(toNumber, integer(fallback, min, max)), doc);
}

/** A comma-separated list; blanks between commas are dropped. */
export function commaList(doc: SettingDoc) {
  return z
    .string()
    .optional()
    .transform((raw) =>
      (raw ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .register(settingDocs, doc);
}

/** A free-form string with a default. */
export function text(fallback: string, doc: SettingDoc) {
  return fromEnv(z.string().default(fallback), doc);
}

/** A free-form string that may be left unset. */
export function optionalText(doc: SettingDoc) {
  return fromEnv(z.string().optional(), doc);
}

/**
 * Parses `input` with `schema`; the first problem becomes a ConfigError naming the key (`where` prefixes
 * it: a file's path) and the value it was given.
 */
export function parseSettings<T extends z.ZodType>(
  schema: T,
  input: unknown,
  where: (path: string) => string = (path) => path,
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = [path, issue.keys[0]].filter(Boolean).join('.');
    throw new ConfigError(where(key), issue.message);
  }
  const given = valueAt(input, issue.path);
  const shown = typeof given === 'string' ? `"${given}"` : JSON.stringify(given);
  throw new ConfigError(where(path), `${issue.message} (got ${shown})`);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key],
    input,
  );
}
