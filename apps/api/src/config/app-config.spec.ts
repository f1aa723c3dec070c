import { MODEL_DTYPES } from '#clip';
import { describe, expect, it } from 'vitest';
import { ConfigError, imageLimitsOf, loadAppConfig } from './app-config.js';

describe('loadAppConfig', () => {
  it('works offline on its defaults', () => {
    const config = loadAppConfig({});
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      dataDir: 'data',
      apiKeys: [],
      model: { dtype: 'fp32', batchSize: 32, cacheBytes: 32 * 1024 * 1024, resizeMode: 'exact' },
      limits: { maxUploadBytes: 20 * 1024 * 1024, maxCandidates: 16, queueBatch: 32 },
      file: { generators: [{ id: 'procedural', use: 'procedural', options: {} }] },
    });
    expect(config.model.dir).toMatch(/models\/clipsmith-scenes$/);
    expect(imageLimitsOf(config.limits)).toEqual({
      maxBytes: 20 * 1024 * 1024,
      maxPixels: 40_000_000,
      decodeTimeoutSeconds: 20,
    });
  });

  it('refuses a distributed setup missing its shared store or queue, naming the variable', () => {
    expect(() => loadAppConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /REDIS_URL needs DATABASE_URL/,
    );
    expect(() => loadAppConfig({ CLIPSMITH_ROLE: 'worker' })).toThrow(
      /CLIPSMITH_ROLE worker needs REDIS_URL/,
    );
    expect(() => loadAppConfig({ CLIPSMITH_ROLE: 'boss' })).toThrow(
      /CLIPSMITH_ROLE must be one of all, api, worker/,
    );
    const distributed = loadAppConfig({
      REDIS_URL: 'redis://127.0.0.1:6379',
      DATABASE_URL: 'postgres://u@127.0.0.1/c',
      CLIPSMITH_ROLE: 'api',
    });
    expect(distributed).toMatchObject({ role: 'api', jobs: { concurrency: 4, attempts: 2, lockMs: 30_000 } });
  });

  it('reads lists and overrides', () => {
    const config = loadAppConfig({
      API_KEYS: ' a, b ,,',
      URL_ALLOW_HOSTS: '127.0.0.1:9000',
      PORT: '0',
      MODEL_DTYPE: 'q8',
    });
    expect([config.apiKeys, config.urlFetch.allowHosts, config.port, config.model.dtype]).toEqual([
      ['a', 'b'],
      ['127.0.0.1:9000'],
      0,
      'q8',
    ]);
  });

  it('makes every limit a setting: the decode timeout reaches every decode', () => {
    const config = loadAppConfig({
      DECODE_TIMEOUT_SECONDS: '3',
      MAX_UPLOAD_FILES: '2',
      URL_MAX_REDIRECTS: '0',
    });
    expect(imageLimitsOf(config.limits).decodeTimeoutSeconds).toBe(3);
    expect([config.limits.maxUploadFiles, config.urlFetch.maxRedirects]).toEqual([2, 0]);
  });

  it('reads an empty variable as unset', () => {
    expect(loadAppConfig({ PORT: '', HOST: '', MODEL_DTYPE: '' })).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      model: { dtype: 'fp32' },
    });
  });

  it('lists the dtypes the model table knows', () => {
    expect(() => loadAppConfig({ MODEL_DTYPE: 'bf16' })).toThrow(`must be one of ${MODEL_DTYPES.join(', ')}`);
  });

  it.each([
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    ['MAX_UPLOAD_BYTES', '1.5', 'MAX_UPLOAD_BYTES must be an integer'],
    ['MODEL_DTYPE', 'fp64', 'MODEL_DTYPE must be one of fp32, fp16, q8, int8, uint8 (got "fp64")'],
    ['CLIP_RESIZE', 'nice', 'CLIP_RESIZE must be one of exact, fast (got "nice")'],
    ['QUEUE_BATCH', '0', 'QUEUE_BATCH must be an integer from 1 to 1024'],
    ['CLIP_THREADS', 'many', 'CLIP_THREADS must be an integer from 0 to 256 (got "many")'],
  ])('names %s when it is %j', (key, value, message) => {
    expect(() => loadAppConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadAppConfig({ [key]: value })).toThrow(message);
  });
});
