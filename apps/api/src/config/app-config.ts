import { defaultModelDir, type ImageLimits, isModelDtype, type ModelDtype, type ResizeMode } from '#clip';
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
  /** A file of captions (one per line) for captionByRetrieval; null uses the procedural world's captions. */
  captionCorpus: string | null;
  /** Bearer keys; empty means no auth, and then the server binds to loopback only. */
  apiKeys: string[];
  limits: Limits;
  urlFetch: { allowHosts: string[]; timeoutMs: number };
  /** From CONFIG_FILE, or the defaults without one. */
  file: FileConfig;
}

/** Every limit the service enforces; each is an environment variable with a sane default. */
export interface Limits {
  maxUploadBytes: number;
  /** Largest JSON request body: base64 images travel inside it. */
  maxRequestBytes: number;
  maxImagePixels: number;
  maxPromptLength: number;
  maxCandidates: number;
  /** Items per batch request (captions to score, labels, rules…). */
  maxItems: number;
  maxEditBudget: number;
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  queueMaxItems: number;
  queueBatch: number;
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

/** The image limits every decode applies: the engine's, the asset store's and the request checks'. */
export function imageLimitsOf(limits: Limits): ImageLimits {
  return { maxBytes: limits.maxUploadBytes, maxPixels: limits.maxImagePixels, decodeTimeoutSeconds: 20 };
}

function list(env: NodeJS.ProcessEnv, key: string): string[] {
  return (env[key] ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
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
    captionCorpus: env['CAPTION_CORPUS'] || null,
    apiKeys: list(env, 'API_KEYS'),
    limits: {
      maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 20 * 1024 * 1024, 1024, 1024 ** 3),
      maxRequestBytes: integer(env, 'MAX_REQUEST_BYTES', 64 * 1024 * 1024, 1024, 4 * 1024 ** 3),
      maxImagePixels: integer(env, 'MAX_IMAGE_PIXELS', 40_000_000, 1024, 1_000_000_000),
      maxPromptLength: integer(env, 'MAX_PROMPT_LENGTH', 2000, 1, 100_000),
      maxCandidates: integer(env, 'MAX_CANDIDATES', 16, 1, 256),
      maxItems: integer(env, 'MAX_ITEMS', 64, 1, 10_000),
      maxEditBudget: integer(env, 'MAX_EDIT_BUDGET', 200, 4, 10_000),
      graphqlMaxDepth: integer(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 100),
      graphqlMaxComplexity: integer(env, 'GRAPHQL_MAX_COMPLEXITY', 2000, 10, 1_000_000),
      queueMaxItems: integer(env, 'QUEUE_MAX_ITEMS', 1024, 1, 1_000_000),
      queueBatch: integer(env, 'QUEUE_BATCH', 32, 1, 1024),
    },
    urlFetch: {
      allowHosts: list(env, 'URL_ALLOW_HOSTS'),
      timeoutMs: integer(env, 'URL_FETCH_TIMEOUT_MS', 10_000, 100, 600_000),
    },
    file: loadFileConfig(env['CONFIG_FILE'] || undefined),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
