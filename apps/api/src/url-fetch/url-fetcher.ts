import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { IncomingMessage } from 'node:http';
import { AllowList } from './allow-list.js';
import { pinnedGet } from './pinned-get.js';
import { isRedirect, redirectTarget } from './redirect.js';
import { UrlFetchError } from './url-fetch-error.js';
import { parseUrl, type TargetPolicy, vetTarget } from './vet-target.js';

export interface UrlImageFetcherOptions {
  /**
   * Internal targets to permit anyway: host names, IP addresses or CIDR blocks, each with an
   * optional `:port` (`images.internal`, `127.0.0.1:8080`, `10.0.0.0/8`, `[::1]:9000`). Default none.
   */
  allowHosts?: readonly string[];
  /** Ports a URL may name (default any); an allowHosts entry with a port permits that port too. */
  allowPorts?: readonly number[];
  /** Redirects followed, each re-vetted (default 3). */
  maxRedirects?: number;
  /** Largest body accepted (default 32 MiB, the CLIP engine's own limit). */
  maxBytes?: number;
  /** The whole fetch, redirects, connects, headers and body included (default 10 s). */
  timeoutMs?: number;
  /** Name resolution (default node:dns lookup, all addresses); tests substitute it. */
  resolve?: (hostname: string) => Promise<readonly LookupAddress[]>;
}

export const URL_FETCH_DEFAULTS = {
  maxRedirects: 3,
  maxBytes: 32 * 1024 * 1024,
  timeoutMs: 10_000,
} as const;

export interface FetchedImage {
  bytes: Buffer;
  /** As the server sent it; the caller checks the bytes themselves. */
  contentType: string | null;
  /** The URL that answered, after redirects. */
  finalUrl: string;
}

/**
 * Fetches an image URL an API client gave, without letting the client reach the server's own
 * network (SSRF): every hop is vetted before any connection and the socket is pinned to the
 * vetted addresses. Failures are UrlFetchErrors.
 */
export class UrlImageFetcher {
  private readonly policy: TargetPolicy;
  private readonly maxRedirects: number;
  private readonly maxBytes: number;
  private readonly timeoutMs: number;

  constructor(options: UrlImageFetcherOptions = {}) {
    this.policy = {
      allowList: new AllowList(options.allowHosts ?? []),
      allowPorts: options.allowPorts,
      resolve: options.resolve ?? ((hostname) => lookup(hostname, { all: true })),
    };
    this.maxRedirects = options.maxRedirects ?? URL_FETCH_DEFAULTS.maxRedirects;
    this.maxBytes = options.maxBytes ?? URL_FETCH_DEFAULTS.maxBytes;
    this.timeoutMs = options.timeoutMs ?? URL_FETCH_DEFAULTS.timeoutMs;
  }

  async fetchImage(url: string, signal?: AbortSignal): Promise<FetchedImage> {
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
    let target = parseUrl(url);
    try {
      for (let redirects = 0; ; redirects++) {
        const vetted = await vetTarget(target, this.policy, abort).catch((error: unknown) => {
          throw redirects > 0 ? refusedRedirect(error) : error;
        });
        const response = await pinnedGet(vetted, abort);
        const status = response.statusCode ?? 0;
        if (isRedirect(status)) {
          response.destroy();
          if (redirects === this.maxRedirects) {
            throw new UrlFetchError('TOO_MANY_REDIRECTS', `more than ${this.maxRedirects} redirects`);
          }
          target = redirectTarget(target, status, response.headers.location);
        } else if (status < 200 || status > 299) {
          response.destroy();
          throw new UrlFetchError('URL_FETCH_FAILED', `${target.host} answered HTTP ${status}`, { status });
        } else {
          const bytes = await this.readBody(response);
          return { bytes, contentType: response.headers['content-type'] ?? null, finalUrl: target.href };
        }
      }
    } catch (error) {
      throw this.failure(error, target, abort, deadline);
    }
  }

  /** What broke the exchange: the deadline, the caller, or the network. */
  private failure(error: unknown, target: URL, abort: AbortSignal, deadline: AbortSignal): UrlFetchError {
    if (error instanceof UrlFetchError) return error;
    if (deadline.aborted && abort.reason === deadline.reason) {
      const message = `no complete answer from ${target.host} within ${this.timeoutMs} ms`;
      return new UrlFetchError('TIMEOUT', message, { cause: error });
    }
    if (abort.aborted) return new UrlFetchError('CANCELLED', 'the fetch was cancelled', { cause: error });
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    const message = `could not fetch from ${target.host} (${reason})`;
    return new UrlFetchError('URL_FETCH_FAILED', message, { cause: error });
  }

  private async readBody(response: IncomingMessage): Promise<Buffer> {
    const declared = Number(response.headers['content-length']);
    if (declared > this.maxBytes) {
      response.destroy();
      throw this.tooLarge(`${declared} bytes`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > this.maxBytes) throw this.tooLarge(`more than ${this.maxBytes} bytes`); // ends the stream
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, total);
  }

  private tooLarge(size: string): UrlFetchError {
    return new UrlFetchError('IMAGE_TOO_LARGE', `the image is ${size}; the limit is ${this.maxBytes} bytes`);
  }
}

/** A hop's refusal says it came from a redirect, since the client's own URL was fine. */
function refusedRedirect(error: unknown): unknown {
  if (!(error instanceof UrlFetchError) || error.code !== 'URL_NOT_ALLOWED') return error;
  return new UrlFetchError('URL_NOT_ALLOWED', `redirect refused: ${error.message}`, { cause: error });
}
