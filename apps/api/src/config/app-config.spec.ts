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
      model: { dtype: 'fp32', batchSize: 32, cacheSize: 4096, resizeMode: 'exact' },
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

  it.each([
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    ['MAX_UPLOAD_BYTES', '1.5', 'MAX_UPLOAD_BYTES must be an integer'],
    ['MODEL_DTYPE', 'fp64', 'MODEL_DTYPE must be one of fp32, fp16, q8, int8, uint8 (got "fp64")'],
    ['CLIP_RESIZE', 'nice', 'CLIP_RESIZE must be one of exact, fast (got "nice")'],
    ['QUEUE_BATCH', '0', 'QUEUE_BATCH must be an integer from 1 to 1024'],
  ])('names %s when it is %j', (key, value, message) => {
    expect(() => loadAppConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadAppConfig({ [key]: value })).toThrow(message);
  });
});
