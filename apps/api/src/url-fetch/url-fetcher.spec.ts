import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UrlFetchError } from './url-fetch-error.js';
import { UrlImageFetcher, type UrlImageFetcherOptions } from './url-fetcher.js';

/**
 * Every socket the code under test opens goes through this guard, which lets only 127.0.0.1 (and
 * `images.internal`, which the tests resolve to 127.0.0.1) through: a refusal that failed to
 * refuse can never send traffic to a private range or the metadata address.
 */
const SAFE_HOSTS = new Set(['127.0.0.1', 'images.internal']);
const connects: string[] = [];
const realConnect = net.Socket.prototype.connect;
const guard = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (
  this: net.Socket,
  ...args: unknown[]
) {
  const first = Array.isArray(args[0]) ? (args[0][0] as unknown) : args[0];
  const host = String(
    typeof first === 'object' && first !== null ? (first as { host?: string }).host : args[1],
  );
  connects.push(host);
  if (!SAFE_HOSTS.has(host)) throw new Error(`test guard: connection to ${host} blocked`);
  return realConnect.apply(this, args as Parameters<typeof realConnect>);
} as typeof realConnect);

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A test server on 127.0.0.1 that records what reached it. */
interface TestServer {
  server: Server;
  port: number;
  url: (path: string) => string;
  requests: IncomingMessage[];
  connections: number;
  closedEarly: number;
  handler: Handler;
}

async function startServer(): Promise<TestServer> {
  const state: TestServer = {
    server: createServer((req, res) => {
      state.requests.push(req);
      res.on('close', () => {
        if (!res.writableFinished) state.closedEarly++;
      });
      state.handler(req, res);
    }),
    port: 0,
    url: (path) => `http://127.0.0.1:${state.port}${path}`,
    requests: [],
    connections: 0,
    closedEarly: 0,
    handler: (_req, res) => res.end('ok'),
  };
  state.server.on('connection', () => state.connections++);
  await new Promise<void>((r) => state.server.listen(0, '127.0.0.1', r));
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

function reset(server: TestServer, handler: Handler): void {
  server.requests = [];
  server.connections = 0;
  server.closedEarly = 0;
  server.handler = handler;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
}

let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  [a, b] = await Promise.all([startServer(), startServer()]);
});
afterAll(async () => {
  await Promise.all([stop(a.server), stop(b.server)]);
  guard.mockRestore();
});
beforeEach(() => {
  connects.length = 0;
  reset(a, (_req, res) => res.end('ok'));
  reset(b, (_req, res) => res.end('ok'));
});

const resolveTo =
  (...addresses: string[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function failure(promise: Promise<unknown>): Promise<UrlFetchError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UrlFetchError);
  return error as UrlFetchError;
}

function allowA(options: UrlImageFetcherOptions = {}): UrlImageFetcher {
  return new UrlImageFetcher({ allowHosts: [`127.0.0.1:${a.port}`], timeoutMs: 5_000, ...options });
}

describe('UrlImageFetcher refuses before connecting', () => {
  it('(the guard itself blocks other addresses)', () => {
    expect(() => net.connect({ host: '10.0.0.1', port: 80 })).toThrow(/test guard/);
    expect(connects).toEqual(['10.0.0.1']);
    connects.length = 0;
  });

  const loopback = /^127\.0\.0\.1 is a loopback address; add it to URL_ALLOW_HOSTS to allow it$/;
  it.each([
    ['http://127.0.0.1:PORT/x', loopback],
    ['http://localhost:PORT/x', /^localhost resolves to (127\.0\.0\.1|::1), a loopback address; add it to/],
    ['http://[::1]:PORT/', /^::1 is a loopback address/],
    ['http://2130706433:PORT/', loopback],
    ['http://0x7f.0.0.1:PORT/', loopback],
    ['http://0x7f.1:PORT/', loopback],
    ['http://0177.0.0.1:PORT/', loopback],
    ['http://127.1:PORT/', loopback],
    [
      'http://[::ffff:127.0.0.1]:PORT/',
      /^::ffff:7f00:1 is a loopback address \(127\.0\.0\.1 inside an IPv4-mapped/,
    ],
    ['http://10.0.0.1/', /^10\.0\.0\.1 is a private address/],
    ['http://172.16.5.4/', /^172\.16\.5\.4 is a private address/],
    ['http://192.168.1.1/', /^192\.168\.1\.1 is a private address/],
    ['http://[fd00::1]/', /^fd00::1 is a private \(unique local\) address/],
    ['http://169.254.169.254/latest/meta-data/', /^169\.254\.169\.254 is the cloud metadata address/],
    ['http://[::ffff:a9fe:a9fe]/', /^::ffff:a9fe:a9fe is the cloud metadata address .*inside an IPv4-mapped/],
    ['http://[fe80::1]/', /^fe80::1 is a link-local address/],
    ['http://[64:ff9b::10.0.0.1]/', /^64:ff9b::a00:1 is a private address \(10\.0\.0\.1 inside a NAT64/],
    ['http://0.0.0.0:PORT/', /^0\.0\.0\.0 is an unspecified address/],
    ['http://[::]:PORT/', /^:: is an unspecified address/],
    ['http://100.64.0.1/', /^100\.64\.0\.1 is a shared \(CGNAT\) address/],
    ['http://224.0.0.1/', /^224\.0\.0\.1 is a multicast address/],
    ['http://255.255.255.255/', /^255\.255\.255\.255 is the broadcast address/],
    ['ftp://127.0.0.1:PORT/x', /^ftp: URLs are not allowed; use http or https$/],
    ['file:///etc/passwd', /^file: URLs are not allowed/],
    ['http://user:s3cret@127.0.0.1:PORT/', /^URLs with credentials \(user:password@\) are not allowed$/],
    ['not a url', /^not a valid absolute URL$/],
  ])('%s', async (template, message) => {
    const error = await failure(new UrlImageFetcher().fetchImage(template.replace('PORT', String(a.port))));
    expect(error.code).toBe('URL_NOT_ALLOWED');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('s3cret');
    expect([connects, a.connections]).toEqual([[], 0]);
  });

  it('refuses a name when any of its addresses is internal', async () => {
    const fetcher = new UrlImageFetcher({ resolve: resolveTo('93.184.215.14', '10.0.0.1') });
    const error = await failure(fetcher.fetchImage('http://mixed.example/cat.png'));
    expect([error.code, error.message]).toEqual([
      'URL_NOT_ALLOWED',
      'mixed.example resolves to 10.0.0.1, a private address; add it to URL_ALLOW_HOSTS to allow it',
    ]);
    expect(connects).toEqual([]);
  });

  it('refuses ports outside allowPorts', async () => {
    const fetcher = new UrlImageFetcher({ allowPorts: [443], resolve: resolveTo('93.184.215.14') });
    const error = await failure(fetcher.fetchImage('http://cdn.example:8080/cat.png'));
    expect([error.code, error.message]).toEqual([
      'URL_NOT_ALLOWED',
      'port 8080 is not allowed (allowed: 443)',
    ]);
    expect(connects).toEqual([]);
  });

  it('reports a name that does not resolve', async () => {
    const resolve = () =>
      Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }));
    const error = await failure(new UrlImageFetcher({ resolve }).fetchImage('http://nowhere.example/'));
    expect([error.code, error.message]).toEqual([
      'URL_FETCH_FAILED',
      'could not resolve nowhere.example (ENOTFOUND)',
    ]);
    expect(connects).toEqual([]);
  });
});

describe('UrlImageFetcher on allowed targets', () => {
  it('returns the bytes, content type and final URL', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    reset(a, (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png));
    const fetcher = new UrlImageFetcher({ allowHosts: ['127.0.0.1'] });
    const result = await fetcher.fetchImage(a.url('/cat.png?v=1'));
    expect(result).toEqual({ bytes: png, contentType: 'image/png', finalUrl: a.url('/cat.png?v=1') });
    expect(a.requests[0]?.headers).toMatchObject({ host: `127.0.0.1:${a.port}`, accept: 'image/*' });
  });

  it('returns a missing content type as null', async () => {
    reset(a, (_req, res) => res.end('bytes'));
    const result = await allowA().fetchImage(a.url('/x'));
    expect([result.bytes.toString(), result.contentType]).toEqual(['bytes', null]);
  });

  it('connects to the vetted address only, keeping the host name in the request', async () => {
    const resolve = vi.fn(resolveTo('127.0.0.1'));
    const fetcher = new UrlImageFetcher({ allowHosts: ['images.internal'], resolve });
    reset(a, (req, res) =>
      req.url === '/start' ? res.writeHead(302, { location: '/cat.png' }).end() : res.end('cat'),
    );
    const result = await fetcher.fetchImage(`http://images.internal:${a.port}/start`);
    expect(result.finalUrl).toBe(`http://images.internal:${a.port}/cat.png`);
    expect(a.requests.map((r) => r.headers.host)).toEqual([
      `images.internal:${a.port}`,
      `images.internal:${a.port}`,
    ]);
    expect(resolve.mock.calls).toEqual([['images.internal'], ['images.internal']]); // once per hop, never again
  });

  it('sends the host name as TLS SNI while connecting to the vetted address', async () => {
    const servernames: string[] = [];
    const tls = createTlsServer({
      SNICallback: (name, done) => {
        servernames.push(name);
        done(new Error('no certificate in this test'));
      },
    });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    const port = (tls.address() as AddressInfo).port;
    const fetcher = new UrlImageFetcher({ allowHosts: ['images.internal'], resolve: resolveTo('127.0.0.1') });
    const error = await failure(fetcher.fetchImage(`https://images.internal:${port}/cat.png`));
    await new Promise((r) => tls.close(r));
    expect(error.code).toBe('URL_FETCH_FAILED');
    expect(servernames).toEqual(['images.internal']);
  });

  it('refuses a redirect to the metadata address at the hop', async () => {
    reset(a, (_req, res) =>
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    const error = await failure(allowA().fetchImage(a.url('/x')));
    expect([error.code, error.message]).toEqual([
      'URL_NOT_ALLOWED',
      'redirect refused: 169.254.169.254 is the cloud metadata address (link-local); add it to URL_ALLOW_HOSTS to allow it',
    ]);
    expect(connects).toEqual(['127.0.0.1']);
  });

  it('refuses a redirect to a 127.0.0.1 port the allow-list does not name', async () => {
    reset(a, (_req, res) => res.writeHead(301, { location: b.url('/x') }).end());
    const error = await failure(allowA().fetchImage(a.url('/x')));
    expect([error.code, error.message]).toEqual([
      'URL_NOT_ALLOWED',
      'redirect refused: 127.0.0.1 is a loopback address; add it to URL_ALLOW_HOSTS to allow it',
    ]);
    expect([a.requests.length, b.connections]).toEqual([1, 0]);
  });

  it('stops a redirect loop after maxRedirects', async () => {
    reset(a, (_req, res) => res.writeHead(307, { location: '/again' }).end());
    const error = await failure(allowA().fetchImage(a.url('/x')));
    expect([error.code, error.message, a.requests.length]).toEqual([
      'TOO_MANY_REDIRECTS',
      'more than 3 redirects',
      4,
    ]);
    reset(a, (_req, res) => res.writeHead(302, { location: '/again' }).end());
    expect((await failure(allowA({ maxRedirects: 0 }).fetchImage(a.url('/x')))).code).toBe(
      'TOO_MANY_REDIRECTS',
    );
    expect(a.requests.length).toBe(1);
  });

  it('refuses bodies over maxBytes, declared or streamed', async () => {
    reset(a, (_req, res) => res.writeHead(200, { 'content-length': '2000' }).end(Buffer.alloc(2000)));
    const declared = await failure(allowA({ maxBytes: 1000 }).fetchImage(a.url('/big')));
    expect([declared.code, declared.message]).toEqual([
      'IMAGE_TOO_LARGE',
      'the image is 2000 bytes; the limit is 1000 bytes',
    ]);
    reset(a, (_req, res) => {
      res.write(Buffer.alloc(800));
      setTimeout(() => res.write(Buffer.alloc(800)), 20);
      setTimeout(() => res.end(Buffer.alloc(800)), 40);
    });
    const streamed = await failure(allowA({ maxBytes: 1000 }).fetchImage(a.url('/big')));
    expect([streamed.code, streamed.message]).toEqual([
      'IMAGE_TOO_LARGE',
      'the image is more than 1000 bytes; the limit is 1000 bytes',
    ]);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.closedEarly).toBe(1);
  });

  it('accepts a body of exactly maxBytes', async () => {
    reset(a, (_req, res) => res.end(Buffer.alloc(1000)));
    expect((await allowA({ maxBytes: 1000 }).fetchImage(a.url('/x'))).bytes.length).toBe(1000);
  });

  it('times out a server that never answers, or never finishes the body', async () => {
    reset(a, () => undefined);
    let started = performance.now();
    const silent = await failure(allowA({ timeoutMs: 200 }).fetchImage(a.url('/x')));
    expect([silent.code, silent.message]).toEqual([
      'TIMEOUT',
      `no complete answer from 127.0.0.1:${a.port} within 200 ms`,
    ]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(performance.now() - started).toBeLessThan(1_000);
    reset(a, (_req, res) => res.writeHead(200, { 'content-length': '100' }).write('partial'));
    started = performance.now();
    expect((await failure(allowA({ timeoutMs: 200 }).fetchImage(a.url('/x')))).code).toBe('TIMEOUT');
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('reports a non-2xx answer with its status, never its body', async () => {
    reset(a, (_req, res) => res.writeHead(404).end('secret internal detail'));
    const error = await failure(allowA().fetchImage(a.url('/missing.png')));
    expect([error.code, error.status, error.message]).toEqual([
      'URL_FETCH_FAILED',
      404,
      `127.0.0.1:${a.port} answered HTTP 404`,
    ]);
  });

  it('reports a refused connection', async () => {
    const closed = await startServer();
    await stop(closed.server);
    const fetcher = new UrlImageFetcher({ allowHosts: ['127.0.0.1'] });
    const error = await failure(fetcher.fetchImage(closed.url('/x')));
    expect([error.code, error.message]).toEqual([
      'URL_FETCH_FAILED',
      `could not fetch from 127.0.0.1:${closed.port} (ECONNREFUSED)`,
    ]);
  });

  it('stops when the caller aborts, closing the connection', async () => {
    reset(a, () => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await failure(allowA().fetchImage(a.url('/x'), controller.signal));
    expect(error.code).toBe('CANCELLED');
    expect(performance.now() - started).toBeLessThan(1_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.closedEarly).toBe(1);
  });
});
