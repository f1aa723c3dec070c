import { DEFAULT_ENGINE_OPTIONS, DEFAULT_IMAGE_LIMITS, MODEL_DTYPES, RESIZE_MODES } from '#clip';
import { z } from 'zod';
import { LOG_LEVELS } from '../logging/logger.js';
import { URL_FETCH_DEFAULTS } from '../url-fetch/url-fetcher.js';
import { commaList, envInteger, fromEnv, oneOf, optionalText, text } from './settings.js';

const MiB = 1024 ** 2;
export const ROLES = ['all', 'api', 'worker'] as const;
const GiB = 1024 ** 3;

/**
 * Every environment variable the service reads: its type, default, bounds and meaning. The README's
 * settings table is generated from it (`npm run docs:settings`).
 */
export const envSchema = z.object({
  HOST: text('127.0.0.1', { meaning: 'where to listen' }),
  PORT: envInteger(3000, 0, 65535, { meaning: 'port to listen on (`0` picks a free port)' }),
  DATA_DIR: text('data', { meaning: 'assets (`assets/`) and the database (`clipsmith.db`)' }),
  CONFIG_FILE: optionalText({ meaning: 'JSON or YAML file with `generators` and `fanOut` (below)' }),
  API_KEYS: commaList({
    meaning: 'comma-separated bearer keys; **without keys the server binds to loopback only** and says so',
  }),
  ASSET_URL_SECRET: optionalText({
    meaning: 'HMAC key that signs asset URLs when `API_KEYS` are set (`<img>` sends no header)',
    shownDefault: 'random per start',
  }),
  ASSET_URL_TTL_SECONDS: envInteger(3600, 60, 30 * 24 * 3600, {
    meaning: 'how long a signed asset URL stays valid',
  }),
  MODEL_DIR: optionalText({ meaning: 'CLIP export folder to serve', shownDefault: 'bundled model' }),
  MODEL_DTYPE: fromEnv(oneOf(MODEL_DTYPES, DEFAULT_ENGINE_OPTIONS.dtype), {
    meaning: `weights to load: ${MODEL_DTYPES.map((d) => `\`${d}\``).join(', ')}`,
  }),
  CLIP_THREADS: envInteger(0, 0, 256, {
    meaning: 'onnxruntime intra-op threads (`0`: all cores)',
    shownDefault: 'all cores',
  }),
  CLIP_BATCH_SIZE: envInteger(DEFAULT_ENGINE_OPTIONS.batchSize, 1, 1024, {
    meaning: 'most images or texts per engine call',
  }),
  CLIP_CACHE_BYTES: envInteger(DEFAULT_ENGINE_OPTIONS.cacheBytes, 0, 64 * GiB, {
    meaning: 'bytes of embeddings kept in the LRU cache (`0` disables it)',
    unit: 'bytes',
  }),
  CLIP_RESIZE: fromEnv(oneOf(RESIZE_MODES, DEFAULT_ENGINE_OPTIONS.resizeMode), {
    meaning: '`exact` (bit-exact with transformers) or `fast` (libvips)',
  }),
  QUEUE_BATCH: envInteger(32, 1, 1024, { meaning: 'most items one model call takes across requests' }),
  QUEUE_MAX_ITEMS: envInteger(1024, 1, 1_000_000, {
    meaning: 'items waiting for the model before `QUEUE_FULL`',
  }),
  MAX_UPLOAD_BYTES: envInteger(20 * MiB, 1024, GiB, { meaning: 'one image', unit: 'bytes' }),
  MAX_UPLOAD_FILES: envInteger(16, 1, 1024, { meaning: 'files in one multipart GraphQL request' }),
  MAX_REQUEST_BYTES: envInteger(64 * MiB, 1024, 4 * GiB, {
    meaning: 'one JSON request (base64 images travel in it)',
    unit: 'bytes',
  }),
  MAX_IMAGE_PIXELS: envInteger(DEFAULT_IMAGE_LIMITS.maxPixels, 1024, 1_000_000_000, {
    meaning: 'width × height, checked from the header (no decompression bombs)',
  }),
  DECODE_TIMEOUT_SECONDS: envInteger(DEFAULT_IMAGE_LIMITS.decodeTimeoutSeconds, 1, 3600, {
    meaning: 'longest one image decode may take before it is abandoned',
  }),
  MAX_PROMPT_LENGTH: envInteger(2000, 1, 100_000, { meaning: 'characters in a prompt, caption or label' }),
  MAX_CANDIDATES: envInteger(16, 1, 256, {
    meaning: 'candidates per `generate` (count × generators); edits per `editImage` (1 + `alternatives`)',
  }),
  MAX_ITEMS: envInteger(64, 1, 10_000, { meaning: 'entries in list inputs (captions, labels, rules)' }),
  MAX_EDIT_BUDGET: envInteger(200, 4, 10_000, { meaning: 'largest `budget` of `editImage`' }),
  GRAPHQL_MAX_DEPTH: envInteger(10, 2, 100, {
    meaning: 'deepest query nesting (`QUERY_TOO_COMPLEX` beyond)',
  }),
  GRAPHQL_MAX_COMPLEXITY: envInteger(2000, 10, 1_000_000, {
    meaning: 'largest query cost (`QUERY_TOO_COMPLEX` beyond)',
  }),
  URL_ALLOW_HOSTS: commaList({
    meaning: 'hosts, IPs or CIDRs (optionally `:port`) that URL inputs may reach despite SSRF rules',
  }),
  URL_FETCH_TIMEOUT_MS: envInteger(URL_FETCH_DEFAULTS.timeoutMs, 100, 600_000, {
    meaning: 'time limit for fetching a URL input',
  }),
  URL_MAX_REDIRECTS: envInteger(URL_FETCH_DEFAULTS.maxRedirects, 0, 20, {
    meaning: 'redirects a URL input may take, each vetted again',
  }),
  OPENAI_COMPAT_BEST_OF: envInteger(4, 1, 256, {
    meaning: 'candidates per returned image of `/v1/images/generations` when a request sets no `best_of`',
  }),
  PUBLIC_URL: fromEnv(z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' }).optional(), {
    meaning: 'where clients reach this server, for absolute asset URLs',
    shownDefault: "the request's host",
  }),
  RETRY_AFTER_SECONDS: envInteger(1, 1, 3600, {
    meaning: 'the `Retry-After` of a `429` answer (`QUEUE_FULL`) from `/v1`',
  }),
  LOG_LEVEL: fromEnv(oneOf(LOG_LEVELS, 'info'), {
    meaning: 'least severe log level written (`debug` adds generator calls and model batches)',
  }),
  REQUEST_ID_MAX_LENGTH: envInteger(128, 8, 1024, {
    meaning: 'longest `X-Request-Id` taken from a caller (letters, digits, `._~:/+=@-`)',
  }),
  DATABASE_URL: optionalText({
    meaning: '`postgres://…`: keep assets, captions, embeddings and jobs in PostgreSQL instead of SQLite',
    shownDefault: 'SQLite in `DATA_DIR`',
  }),
  SHUTDOWN_GRACE_MS: envInteger(30_000, 0, 3_600_000, {
    meaning: 'how long SIGTERM waits for requests and running jobs; past it they are cut, exit code 1',
  }),
  SHUTDOWN_HAND_BACK_MS: envInteger(5000, 0, 3_600_000, {
    meaning: 'distributed: a worker hands its running jobs back this long before the grace ends',
  }),
  REDIS_URL: optionalText({
    meaning: '`redis://…`: with `DATABASE_URL`, nodes share jobs and model calls through BullMQ queues',
    shownDefault: 'in-process queue',
  }),
  CLIPSMITH_ROLE: fromEnv(oneOf(ROLES, 'all'), {
    meaning: '`all` (one process), `api` (HTTP and GraphQL, no model work) or `worker` (the model work)',
  }),
  WORKER_CONCURRENCY: envInteger(4, 1, 256, { meaning: 'jobs one node runs at once' }),
  MAX_QUEUED_JOBS: envInteger(1000, 1, 1_000_000, {
    meaning: 'jobs waiting or running in total before `QUEUE_FULL`',
  }),
  MAX_QUEUED_JOBS_PER_KEY: envInteger(100, 1, 1_000_000, {
    meaning: 'jobs waiting or running per API key before `QUEUE_FULL`',
  }),
  JOB_TIMEOUT_SECONDS: envInteger(600, 1, 86_400, {
    meaning: 'longest one job may run before it fails with `TIMEOUT`',
  }),
  JOB_ATTEMPTS: envInteger(2, 1, 10, {
    meaning: 'runs a job gets when the process running it dies (then `FAILED` with the reason)',
  }),
  JOB_LOCK_SECONDS: envInteger(30, 1, 3600, {
    meaning: 'distributed mode: how soon a job whose worker died is taken up by another worker',
  }),
  JOB_TTL_SECONDS: envInteger(7 * 86_400, 60, 10 * 365 * 86_400, {
    meaning: 'how long a finished job (and its result) stays queryable',
  }),
  MODEL_CALL_TIMEOUT_MS: envInteger(30_000, 100, 600_000, {
    meaning: 'distributed mode: how long an `api` node waits for a worker’s answer to `classify`, …',
  }),
  MODEL_CALL_CONCURRENCY: envInteger(16, 1, 256, {
    meaning: 'model calls from `api` nodes one worker runs at once (its model queue batches them)',
  }),
  CAPTION_CORPUS: optionalText({
    meaning: 'file of captions (one per line) for `captionByRetrieval`',
    shownDefault: 'procedural captions',
  }),
});

export type EnvSettings = z.output<typeof envSchema>;
