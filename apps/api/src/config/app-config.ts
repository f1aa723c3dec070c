import { defaultModelDir, isModelDtype, type ModelDtype, type ResizeMode } from '#clip';
import { ConfigError } from './config-error.js';
import { type FileConfig, loadFileConfig } from './config-file.js';

export { ConfigError };

/** Everything the service reads from its environment, validated once at start-up. */
export interface AppConfig {
  host: string;
  port: number;
  dataDir: string;
  model: {
    dir: string;
    dtype: ModelDtype;
    threads: number | undefined;
    batchSize: number;
    cacheSize: number;
    resizeMode: ResizeMode;
  };
  /** From CONFIG_FILE, or the defaults without one. */
  file: FileConfig;
}

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(key, `must be an integer from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, key: string, allowed: readonly T[], fallback: T): T {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(key, `must be one of ${allowed.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}

export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dtype = env['MODEL_DTYPE'] || 'fp32';
  if (!isModelDtype(dtype))
    throw new ConfigError('MODEL_DTYPE', `must be one of fp32, fp16, q8, int8, uint8 (got "${dtype}")`);
  const threads = integer(env, 'CLIP_THREADS', 0, 0, 256);
  return {
    host: env['HOST'] || '127.0.0.1',
    port: integer(env, 'PORT', 3000, 0, 65535),
    dataDir: env['DATA_DIR'] || 'data',
    model: {
      dir: defaultModelDir(env),
      dtype,
      threads: threads === 0 ? undefined : threads,
      batchSize: integer(env, 'CLIP_BATCH_SIZE', 32, 1, 1024),
      cacheSize: integer(env, 'CLIP_CACHE_SIZE', 4096, 0, 10_000_000),
      resizeMode: oneOf(env, 'CLIP_RESIZE', ['exact', 'fast'] as const, 'exact'),
    },
    file: loadFileConfig(env['CONFIG_FILE'] || undefined),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
