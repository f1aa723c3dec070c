import { describe, expect, it, vi } from 'vitest';
import { GeneratorConfigError, GeneratorError } from './errors.js';
import { DEFAULT_RETRY_POLICY } from './http/request-with-retry.js';
import {
  downloadImage,
  httpCall,
  jsonBody,
  readBoolean,
  readEnum,
  readHttpOptions,
  readNumber,
  readOptionalString,
  readString,
  readStringList,
  readUrl,
  rejectUnknownOptions,
} from './plugin-options.js';

/** The config error `read` throws, asserting it is one. */
function configError(read: () => unknown): string {
  expect(read).toThrow(GeneratorConfigError);
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  return '';
}

describe('plugin option readers', () => {
  it('read strings, refusing missing, empty and non-string values by key', () => {
    expect(readString('g', { model: 'flux' }, 'model')).toBe('flux');
    expect(configError(() => readString('g', {}, 'model'))).toBe(
      'generator "g": options.model is required (a non-empty string)',
    );
    expect(configError(() => readString('g', { model: null }, 'model'))).toContain('is required');
    expect(configError(() => readString('g', { model: ' ' }, 'model'))).toBe(
      'generator "g": options.model must be a non-empty string',
    );
    expect(configError(() => readOptionalString('g', { token: 42 }, 'token'))).toContain(
      'options.token must be',
    );
    expect(readOptionalString('g', { token: null }, 'token')).toBeUndefined();
  });

  it('read numbers within a range, with a fallback', () => {
    const range = { min: 1000, max: 600_000 };
    expect(readNumber('hf', { timeoutMs: 60000 }, 'timeoutMs', range)).toBe(60000);
    expect(readNumber('hf', {}, 'timeoutMs', range)).toBeUndefined();
    expect(readNumber('hf', {}, 'timeoutMs', { ...range, fallback: 5000 })).toBe(5000);
    for (const bad of [10, 600_001, '60000', Number.NaN, true]) {
      expect(configError(() => readNumber('hf', { timeoutMs: bad }, 'timeoutMs', range))).toBe(
        'generator "hf": options.timeoutMs must be a number from 1000 to 600000',
      );
    }
    expect(configError(() => readNumber('g', { n: 1.5 }, 'n', { min: 0, max: 4, integer: true }))).toBe(
      'generator "g": options.n must be an integer from 0 to 4',
    );
  });

  it('read booleans strictly', () => {
    expect(readBoolean('g', { edits: false }, 'edits', true)).toBe(false);
    expect(readBoolean('g', {}, 'edits', true)).toBe(true);
    expect(configError(() => readBoolean('g', { edits: 'false' }, 'edits', true))).toBe(
      'generator "g": options.edits must be true or false',
    );
  });

  it('read http(s) URLs without trailing slashes, refusing other schemes and credentials', () => {
    expect(readUrl('g', { baseUrl: 'http://127.0.0.1:9001/v1/' }, 'baseUrl')).toBe(
      'http://127.0.0.1:9001/v1',
    );
    expect(readUrl('g', {}, 'baseUrl', 'https://api.example/v1')).toBe('https://api.example/v1');
    expect(readUrl('g', {}, 'baseUrl')).toBeUndefined();
    for (const bad of ['127.0.0.1:7860', 'file:///etc/passwd', 'ftp://host']) {
      expect(configError(() => readUrl('g', { baseUrl: bad }, 'baseUrl'))).toBe(
        'generator "g": options.baseUrl must be an http(s) URL',
      );
    }
    expect(configError(() => readUrl('g', { baseUrl: 'http://u:p@host' }, 'baseUrl'))).toContain(
      'must not carry credentials',
    );
  });

  it('read one of a set of choices, and lists of strings', () => {
    expect(
      readEnum('g', { task: 'image-to-image' }, 'task', ['text-to-image', 'image-to-image'], 'text-to-image'),
    ).toBe('image-to-image');
    expect(configError(() => readEnum('g', { format: 'gif' }, 'format', ['png', 'jpeg'], 'png'))).toBe(
      'generator "g": options.format must be one of png, jpeg',
    );
    expect(readStringList('g', { sizes: ['512x512'] }, 'sizes')).toEqual(['512x512']);
    expect(readStringList('g', {}, 'sizes')).toBeUndefined();
    for (const bad of [[], '512x512', [512]]) {
      expect(configError(() => readStringList('g', { sizes: bad }, 'sizes'))).toContain(
        'non-empty list of strings',
      );
    }
  });

  it('refuse unknown keys, naming the first and the known ones', () => {
    expect(() => rejectUnknownOptions('g', { model: 'x' }, ['model', 'token'])).not.toThrow();
    expect(configError(() => rejectUnknownOptions('g', { model: 'x', tokn: 'y' }, ['model', 'token']))).toBe(
      'generator "g": options.tokn is not an option of this generator (known: model, token)',
    );
  });
});

describe('shared HTTP options', () => {
  it('default to the shared retry policy, no extra timeout and 32 MiB', () => {
    expect(readHttpOptions('g', {})).toEqual({
      retry: DEFAULT_RETRY_POLICY,
      timeoutMs: undefined,
      maxResponseBytes: 32 * 1024 * 1024,
    });
    const custom = {
      retries: 0,
      retryBaseDelayMs: 5,
      retryMaxDelayMs: 50,
      timeoutMs: 2000,
      maxResponseBytes: 4096,
    };
    expect(readHttpOptions('g', custom)).toEqual({
      retry: { retries: 0, baseDelayMs: 5, maxDelayMs: 50 },
      timeoutMs: 2000,
      maxResponseBytes: 4096,
    });
  });

  it('build a call that follows the caller signal, cut short by timeoutMs', async () => {
    const http = readHttpOptions('g', { timeoutMs: 1000 });
    const environment = { env: {}, fetch };
    const caller = new AbortController();
    const onRetry = vi.fn();
    const call = httpCall('g', http, environment, { signal: caller.signal, onRetry }, ['s3cret']);
    expect(call).toMatchObject({ label: 'g', retry: http.retry, secrets: ['s3cret'], onRetry });
    expect(call.signal).not.toBe(caller.signal);
    caller.abort();
    expect(call.signal.aborted).toBe(true);

    const timed = httpCall('g', http, environment, { signal: new AbortController().signal }, []);
    await vi.waitFor(() => expect(timed.signal.aborted).toBe(true), { timeout: 2000 });
    expect((timed.signal.reason as DOMException).name).toBe('TimeoutError');

    const plain = new AbortController().signal;
    expect(httpCall('g', readHttpOptions('g', {}), environment, { signal: plain }, []).signal).toBe(plain);
  });

  it('turn a non-JSON answer into BAD_RESPONSE naming its content type', () => {
    const call = httpCall(
      'g',
      readHttpOptions('g', {}),
      { env: {}, fetch },
      { signal: new AbortController().signal },
      [],
    );
    const result = {
      status: 200,
      headers: new Headers({ 'content-type': 'text/html' }),
      body: Buffer.from('<html>'),
      retries: 1,
    };
    let error: unknown;
    try {
      jsonBody(result, call);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GeneratorError);
    expect(error).toMatchObject({
      code: 'BAD_RESPONSE',
      message: 'g: expected JSON, got text/html',
      status: 200,
      retries: 1,
    });
    expect(jsonBody({ ...result, body: Buffer.from('{"a":1}') }, call)).toEqual({ a: 1 });
  });

  it('download only http(s) image URLs', async () => {
    const fetchSpy = vi.fn<typeof fetch>();
    const call = httpCall(
      'g',
      readHttpOptions('g', {}),
      { env: {}, fetch: fetchSpy },
      { signal: new AbortController().signal },
      [],
    );
    await expect(downloadImage('file:///etc/passwd', call)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
