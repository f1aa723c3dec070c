import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetryEvent } from '../contract.js';
import { GeneratorError } from '../errors.js';
import { type HttpCall, parseRetryAfter, requestWithRetry } from './request-with-retry.js';

type Handler = (req: IncomingMessage, res: ServerResponse, hit: number) => void;
let handler: Handler = (_req, res) => res.end('ok');
let hits = 0;
let closedEarly = 0;
let url = '';
const server = createServer((req, res) => {
  res.on('close', () => {
    if (!res.writableFinished) closedEarly++;
  });
  handler(req, res, ++hits);
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function call(overrides: Partial<HttpCall> = {}): HttpCall & { retries: RetryEvent[] } {
  const retries: RetryEvent[] = [];
  return {
    label: 'gen',
    fetch,
    signal: AbortSignal.timeout(5_000),
    retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 5_000 },
    maxResponseBytes: 1_000,
    secrets: ['sk-secret-value'],
    onRetry: (e) => retries.push(e),
    retries,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<GeneratorError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GeneratorError);
  return error as GeneratorError;
}

function serve(script: Handler): void {
  hits = 0;
  closedEarly = 0;
  handler = script;
}

describe('requestWithRetry', () => {
  it('retries 5xx with backoff and returns the first success', async () => {
    serve((_req, res, hit) => (hit <= 2 ? res.writeHead(503).end('busy') : res.end('done')));
    const c = call();
    const result = await requestWithRetry(url, {}, c);
    expect([result.status, result.body.toString(), result.retries, hits]).toEqual([200, 'done', 2, 3]);
    expect(c.retries.map((r) => [r.attempt, r.status])).toEqual([
      [1, 503],
      [2, 503],
    ]);
  });

  it('gives up after the last retry with the upstream message', async () => {
    serve((_req, res) =>
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"model crashed"}'),
    );
    const error = await failure(requestWithRetry(url, {}, call()));
    expect([error.code, error.status, error.retries, hits]).toEqual(['GENERATOR_FAILED', 500, 2, 3]);
    expect(error.message).toBe('gen: upstream answered HTTP 500: model crashed');
  });

  it('honours Retry-After on 429', async () => {
    serve((_req, res, hit) => (hit === 1 ? res.writeHead(429, { 'retry-after': '1' }).end() : res.end('ok')));
    const c = call();
    const started = performance.now();
    await requestWithRetry(url, {}, c);
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(c.retries).toEqual([{ attempt: 1, status: 429, delayMs: 1000 }]);
  });

  it('stops at once when Retry-After is longer than the policy allows', async () => {
    serve((_req, res) => res.writeHead(429, { 'retry-after': '3600' }).end('{"message":"slow down"}'));
    const error = await failure(requestWithRetry(url, {}, call()));
    expect([error.code, hits]).toEqual(['RATE_LIMITED', 1]);
  });

  it.each([
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHENTICATED'],
    [403, 'UNAUTHENTICATED'],
    [404, 'BAD_REQUEST'],
  ])('does not retry HTTP %i (%s)', async (status, code) => {
    serve((_req, res) => res.writeHead(status).end());
    const error = await failure(requestWithRetry(url, {}, call()));
    expect([error.code, hits]).toEqual([code, 1]);
  });

  it('retries a connection dropped mid-body', async () => {
    serve((_req, res, hit) => {
      if (hit > 1) return res.end('complete body');
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.destroy(), 20);
    });
    const result = await requestWithRetry(url, {}, call());
    expect([result.body.toString(), result.retries]).toEqual(['complete body', 1]);
  });

  it('refuses bodies over the limit, declared or streamed, without retrying', async () => {
    serve((_req, res) => res.writeHead(200, { 'content-length': '5000' }).end(Buffer.alloc(5000)));
    expect((await failure(requestWithRetry(url, {}, call()))).code).toBe('IMAGE_TOO_LARGE');
    serve((_req, res) => {
      res.writeHead(200);
      res.write(Buffer.alloc(800));
      setTimeout(() => res.end(Buffer.alloc(800)), 10);
    });
    const error = await failure(requestWithRetry(url, {}, call()));
    expect([error.code, hits]).toEqual(['IMAGE_TOO_LARGE', 1]);
  });

  it('times out, and a caller abort cancels the request on the wire', async () => {
    serve(() => undefined); // never answers
    const timeout = await failure(requestWithRetry(url, {}, call({ signal: AbortSignal.timeout(200) })));
    expect(timeout.code).toBe('TIMEOUT');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const cancelled = await failure(requestWithRetry(url, {}, call({ signal: controller.signal })));
    expect(cancelled.code).toBe('CANCELLED');
    expect(performance.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(closedEarly).toBeGreaterThanOrEqual(1);
  });

  it('keeps secrets out of error messages, even when the upstream echoes them', async () => {
    serve((req, res) => res.writeHead(401).end(`{"error":"bad key ${req.headers.authorization}"}`));
    const error = await failure(
      requestWithRetry(url, { headers: { authorization: 'Bearer sk-secret-value' } }, call()),
    );
    expect(error.message).toBe('gen: upstream answered HTTP 401: bad key Bearer ***');
    expect(JSON.stringify(error)).not.toContain('sk-secret-value');
  });

  it('reports an unreachable upstream as a failed request', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const noRetry = { retries: 0, baseDelayMs: 1, maxDelayMs: 1 };
    const error = await failure(requestWithRetry(`http://127.0.0.1:${port}/x`, {}, call({ retry: noRetry })));
    expect(error.code).toBe('GENERATOR_FAILED');
    expect(error.message).toBe('gen: request failed (ECONNREFUSED)');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
  });
});
