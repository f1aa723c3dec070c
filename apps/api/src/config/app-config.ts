import { defaultModelDir, type ImageLimits } from '#clip';
import { ConfigError } from './config-error.js';
import { loadFileConfig } from './config-file.js';
import { envSchema, type EnvSettings } from './env-schema.js';
import { parseSettings } from './settings.js';

export { ConfigError };

/** Everything the service reads from its environment, validated once at start-up. */
export type AppConfig = ReturnType<typeof toAppConfig>;
/** Every limit the service enforces; each is an environment variable with a sane default. */
export type Limits = AppConfig['limits'];

function toAppConfig(env: EnvSettings) {
  return {
    host: env.HOST,
    port: env.PORT,
    dataDir: env.DATA_DIR,
    model: {
      dir: defaultModelDir({ MODEL_DIR: env.MODEL_DIR }),
      dtype: env.MODEL_DTYPE,
      threads: env.CLIP_THREADS === 0 ? undefined : env.CLIP_THREADS,
      batchSize: env.CLIP_BATCH_SIZE,
      cacheBytes: env.CLIP_CACHE_BYTES,
      resizeMode: env.CLIP_RESIZE,
    },
    /** A file of captions (one per line) for captionByRetrieval; null uses the procedural world's captions. */
    captionCorpus: env.CAPTION_CORPUS ?? null,
    /** How long a SIGTERM waits for requests in flight and running jobs. */
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    /** How long before the grace period ends the jobs still running go back to the queue, so the exit is clean. */
    shutdownHandBackMs: env.SHUTDOWN_HAND_BACK_MS,
    /** Bearer keys; empty means no auth, and then the server binds to loopback only. */
    apiKeys: env.API_KEYS,
    /** With keys set, asset URLs are signed: an `<img>` cannot send the bearer token. */
    assetUrls: { secret: env.ASSET_URL_SECRET ?? null, ttlSeconds: env.ASSET_URL_TTL_SECONDS },
    logLevel: env.LOG_LEVEL,
    limits: {
      maxUploadBytes: env.MAX_UPLOAD_BYTES,
      maxUploadFiles: env.MAX_UPLOAD_FILES,
      /** Largest JSON request body: base64 images travel inside it. */
      maxRequestBytes: env.MAX_REQUEST_BYTES,
      maxImagePixels: env.MAX_IMAGE_PIXELS,
      decodeTimeoutSeconds: env.DECODE_TIMEOUT_SECONDS,
      maxPromptLength: env.MAX_PROMPT_LENGTH,
      maxCandidates: env.MAX_CANDIDATES,
      /** Items per batch request (captions to score, labels, rules…). */
      maxItems: env.MAX_ITEMS,
      maxEditBudget: env.MAX_EDIT_BUDGET,
      graphqlMaxDepth: env.GRAPHQL_MAX_DEPTH,
      graphqlMaxComplexity: env.GRAPHQL_MAX_COMPLEXITY,
      queueMaxItems: env.QUEUE_MAX_ITEMS,
      queueBatch: env.QUEUE_BATCH,
      requestIdMaxLength: env.REQUEST_ID_MAX_LENGTH,
    },
    openAiCompat: {
      /** Candidates per returned image when a request names no `best_of`. */
      bestOf: env.OPENAI_COMPAT_BEST_OF,
      /** Origin of absolute asset URLs; null: the request's own. */
      publicUrl: env.PUBLIC_URL ?? null,
      retryAfterSeconds: env.RETRY_AFTER_SECONDS,
    },
    /** `postgres://…`, or null for SQLite in dataDir. */
    databaseUrl: env.DATABASE_URL ?? null,
    /** `redis://…`: the BullMQ queue of distributed mode; null runs jobs in-process. */
    redisUrl: env.REDIS_URL ?? null,
    role: env.CLIPSMITH_ROLE,
    jobs: {
      concurrency: env.WORKER_CONCURRENCY,
      maxQueued: env.MAX_QUEUED_JOBS,
      maxQueuedPerKey: env.MAX_QUEUED_JOBS_PER_KEY,
      timeoutMs: env.JOB_TIMEOUT_SECONDS * 1000,
      attempts: env.JOB_ATTEMPTS,
      lockMs: env.JOB_LOCK_SECONDS * 1000,
      ttlMs: env.JOB_TTL_SECONDS * 1000,
    },
    /** Distributed mode: an `api` node's quick model calls, run by workers through the queue. */
    modelCalls: {
      timeoutMs: env.MODEL_CALL_TIMEOUT_MS,
      concurrency: env.MODEL_CALL_CONCURRENCY,
    },
    urlFetch: {
      allowHosts: env.URL_ALLOW_HOSTS,
      timeoutMs: env.URL_FETCH_TIMEOUT_MS,
      maxRedirects: env.URL_MAX_REDIRECTS,
    },
    /** From CONFIG_FILE, or the defaults without one. */
    file: loadFileConfig(env.CONFIG_FILE),
  };
}

/** The image limits every decode applies: the engine's, the asset store's and the request checks'. */
export function imageLimitsOf(limits: Limits): ImageLimits {
  return {
    maxBytes: limits.maxUploadBytes,
    maxPixels: limits.maxImagePixels,
    decodeTimeoutSeconds: limits.decodeTimeoutSeconds,
  };
}

/** Reads and checks the environment; a bad value is a ConfigError naming its variable. */
export function loadAppConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const config = toAppConfig(parseSettings(envSchema, env));
  // Nodes share jobs through Redis and everything else through PostgreSQL; SQLite is one node's file.
  if (config.redisUrl && !config.databaseUrl)
    throw new ConfigError(
      'REDIS_URL',
      'needs DATABASE_URL: nodes sharing a queue must share a PostgreSQL store',
    );
  if (config.role !== 'all' && !config.redisUrl)
    throw new ConfigError(
      'CLIPSMITH_ROLE',
      `${config.role} needs REDIS_URL and DATABASE_URL (distributed mode)`,
    );
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
