import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestImage } from './test-images.js';

export interface RecordedRequest {
  method: string;
  /** URL path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** Resolves when the client hangs up before the answer is complete. */
  abandoned: Promise<void>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: Buffer | string;
}

export function jsonReply(status: number, value: unknown): Reply {
  return { status, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) };
}

/** What a scripted request suffers instead of (or on top of) the normal answer. */
export type Fault =
  /** This status with the upstream's error body, and a Retry-After header when given. */
  | { status: number; message?: string; retryAfterSeconds?: number }
  /** The normal answer, this late (or never, if the client hangs up first). */
  | { delayMs: number }
  /** Headers and half the normal body, then the socket is destroyed. */
  | { dropMidBody: true }
  /** The normal body under another Content-Type. */
  | { contentType: string }
  /** Headers claiming this Content-Length, and the socket left hanging. */
  | { contentLength: number }
  /** This answer instead of the upstream's (an HTML error page, JSON without images, …). */
  | { reply: Reply };

/** Thrown by a handler when a request does not have the shape the real upstream demands. */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface UpstreamContext {
  /** The fake's own base URL, for answers that link back to it. */
  url: string;
  images: readonly TestImage[];
}

/** How one upstream answers; the generic server adds recording and faults. */
export interface UpstreamBehaviour {
  handle(request: RecordedRequest, context: UpstreamContext): Reply | Promise<Reply>;
  /** The upstream's own error answer, for rejections and scripted statuses. */
  errorReply(status: number, message: string, request: RecordedRequest): Reply;
}

export interface FakeUpstream {
  url: string;
  requests: RecordedRequest[];
  /** What the upstream generates, in order (cycled); reset() restores the defaults. */
  images: TestImage[];
  /** The next `times` requests whose path starts with `pathPrefix` suffer the fault. */
  fail(pathPrefix: string, fault: Fault, times?: number): void;
  /** Asks `pick` for the fault of each request no scripted one claims (random faults, for soaks); null stops. */
  chaos(pick: ((request: RecordedRequest) => Fault | undefined) | null): void;
  /** Forgets requests and faults, and restores the default images. */
  reset(): void;
  close(): Promise<void>;
}

/** An upstream on 127.0.0.1 that records every request and answers as `behaviour` says, or as scripted. */
export async function startFakeUpstream(
  behaviour: UpstreamBehaviour,
  defaultImages: readonly TestImage[],
): Promise<FakeUpstream> {
  const faults: { pathPrefix: string; fault: Fault; times: number }[] = [];
  const requests: RecordedRequest[] = [];
  let base = '';
  let pickFault: ((request: RecordedRequest) => Fault | undefined) | null = null;

  const takeFault = (path: string): Fault | undefined => {
    const scripted = faults.find((f) => path.startsWith(f.pathPrefix) && f.times > 0);
    if (scripted) scripted.times--;
    return scripted?.fault;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      let hungUp!: () => void;
      const abandoned = new Promise<void>((resolve) => (hungUp = resolve));
      res.on('close', () => {
        if (!res.writableFinished) hungUp();
      });
      const request: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks),
        abandoned,
      };
      requests.push(request);
      answer(request, res, takeFault(request.path) ?? pickFault?.(request)).catch((error: unknown) => {
        if (res.headersSent) return void res.destroy();
        send(res, behaviour.errorReply(500, `fake upstream broke: ${String(error)}`, request));
      });
    });
  });

  const answer = async (request: RecordedRequest, res: ServerResponse, fault?: Fault): Promise<void> => {
    if (fault && 'status' in fault) {
      const message = fault.message ?? `scripted HTTP ${fault.status}`;
      const reply = behaviour.errorReply(fault.status, message, request);
      const retryAfter = fault.retryAfterSeconds;
      return send(
        res,
        retryAfter === undefined ? reply : withHeader(reply, 'Retry-After', String(retryAfter)),
      );
    }
    let reply: Reply;
    try {
      reply = await behaviour.handle(request, { url: base, images: fake.images });
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      reply = behaviour.errorReply(error.status, error.message, request);
    }
    if (!fault) return send(res, reply);
    if ('reply' in fault) return send(res, fault.reply);
    if ('delayMs' in fault) {
      const timer = setTimeout(() => send(res, reply), fault.delayMs);
      return void res.on('close', () => clearTimeout(timer));
    }
    if ('contentType' in fault) return send(res, withHeader(reply, 'Content-Type', fault.contentType));
    const body = Buffer.from(reply.body);
    if ('contentLength' in fault) {
      res.writeHead(reply.status, { ...reply.headers, 'Content-Length': fault.contentLength });
      return void res.flushHeaders();
    }
    res.writeHead(reply.status, { ...reply.headers, 'Content-Length': body.length });
    res.write(body.subarray(0, body.length >> 1), () => res.destroy());
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeUpstream = {
    url: base,
    requests,
    images: [...defaultImages],
    fail: (pathPrefix, fault, times = 1) => void faults.push({ pathPrefix, fault, times }),
    chaos: (pick) => void (pickFault = pick),
    reset: () => {
      requests.length = 0;
      faults.length = 0;
      pickFault = null;
      fake.images = [...defaultImages];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return fake;
}

/** Rejects the request (with the upstream's error shape) unless `condition` holds. */
export function demand(condition: boolean, message: string, status = 400): asserts condition {
  if (!condition) throw new Rejection(status, message);
}

export function jsonOf(request: RecordedRequest): Record<string, unknown> {
  demand(
    /^application\/json\b/.test(request.headers['content-type'] ?? ''),
    'Content-Type must be application/json',
  );
  let body: unknown;
  try {
    body = JSON.parse(request.body.toString('utf8'));
  } catch {
    throw new Rejection(400, 'body is not valid JSON');
  }
  demand(typeof body === 'object' && body !== null && !Array.isArray(body), 'body must be a JSON object');
  return body as Record<string, unknown>;
}

/** A multipart/form-data body, parsed as a browser would. */
export function formOf(request: RecordedRequest): Promise<FormData> {
  const type = request.headers['content-type'] ?? '';
  demand(type.startsWith('multipart/form-data; boundary='), 'Content-Type must be multipart/form-data');
  return new Request('http://fake/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: request.body,
  })
    .formData()
    .catch(() => {
      throw new Rejection(400, 'malformed multipart body');
    });
}

/** PNG or JPEG by signature: what the fakes accept as an input image. */
export function looksLikeImage(bytes: Uint8Array): boolean {
  const png = [0x89, 0x50, 0x4e, 0x47];
  const jpeg = [0xff, 0xd8, 0xff];
  return [png, jpeg].some((signature) => signature.every((b, i) => bytes[i] === b));
}

export const isInteger = (value: unknown): boolean => Number.isInteger(value);
export const isOptional = (value: unknown, check: (v: unknown) => boolean): boolean =>
  value === undefined || check(value);

function withHeader(reply: Reply, name: string, value: string): Reply {
  return { ...reply, headers: { ...reply.headers, [name]: value } };
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  const body = Buffer.from(reply.body);
  res.writeHead(reply.status, { ...reply.headers, 'Content-Length': body.length });
  res.end(body);
}
