import type { RetryEvent } from '../contract.js';
import { GeneratorError, type GeneratorErrorCode } from '../errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt (default 2). */
  retries: number;
  /** First backoff; doubled each retry, with jitter (default 500 ms). */
  baseDelayMs: number;
  /** Longest wait, Retry-After included; a longer Retry-After ends the retries (default 20 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  retries: 2,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
};

export interface HttpCall {
  /** Who is calling, for messages: the generator id. */
  label: string;
  fetch: typeof fetch;
  signal: AbortSignal;
  retry: RetryPolicy;
  /** Largest response body accepted. */
  maxResponseBytes: number;
  /** Strings (tokens, keys) that must never appear in an error message. */
  secrets: readonly string[];
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  body: Buffer;
  retries: number;
}

/**
 * One HTTP call with retries on 429, 5xx and network errors (never on other 4xx), honouring
 * Retry-After. The whole body is read inside the attempt, so a connection dropped mid-body is
 * retried like any network error. Non-2xx answers after the last retry become GeneratorErrors.
 */
export async function requestWithRetry(url: string, init: RequestInit, call: HttpCall): Promise<HttpResult> {
  for (let attempt = 0; ; attempt++) {
    let status: number | null;
    let retryAfterMs: number | null = null;
    let failure: GeneratorError;
    try {
      const response = await call.fetch(url, { ...init, signal: call.signal });
      status = response.status;
      const body = await readBody(response, call);
      if (response.ok) return { status, headers: response.headers, body, retries: attempt };
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      failure = statusError(call, response.status, body, attempt);
    } catch (error) {
      if (error instanceof GeneratorError && error.code === 'IMAGE_TOO_LARGE') throw error;
      status = null; // the exchange broke off, even if a status line had arrived
      failure = networkError(call, error, attempt);
      if (failure.code === 'TIMEOUT' || failure.code === 'CANCELLED') throw failure;
    }
    const retryable = status === null || status === 429 || status >= 500;
    if (!retryable || attempt >= call.retry.retries) throw failure;
    const backoff = call.retry.baseDelayMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
    const delayMs = Math.round(retryAfterMs ?? backoff);
    if (delayMs > call.retry.maxDelayMs) throw failure;
    call.onRetry?.({ attempt: attempt + 1, status, delayMs });
    await sleep(delayMs, call.signal).catch((error: unknown) => {
      throw networkError(call, error, attempt);
    });
  }
}

async function readBody(response: Response, call: HttpCall): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > call.maxResponseBytes) {
    await response.body?.cancel();
    throw tooLarge(call, declared);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > call.maxResponseBytes) throw tooLarge(call, total);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function tooLarge(call: HttpCall, bytes: number): GeneratorError {
  return new GeneratorError(
    'IMAGE_TOO_LARGE',
    `${call.label}: response of ${bytes}+ bytes exceeds the limit of ${call.maxResponseBytes} bytes`,
  );
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

const STATUS_CODES: readonly [(status: number) => boolean, GeneratorErrorCode][] = [
  [(s) => s === 401 || s === 403, 'UNAUTHENTICATED'],
  [(s) => s === 429, 'RATE_LIMITED'],
  [(s) => s === 408 || s === 504, 'TIMEOUT'],
  [(s) => s >= 500, 'GENERATOR_FAILED'],
  [(s) => s >= 400, 'BAD_REQUEST'],
];

function statusError(call: HttpCall, status: number, body: Buffer, retries: number): GeneratorError {
  const code = STATUS_CODES.find(([matches]) => matches(status))?.[1] ?? 'BAD_RESPONSE';
  const detail = redact(upstreamMessage(body), call.secrets);
  return new GeneratorError(
    code,
    `${call.label}: upstream answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
    {
      status,
      retries,
    },
  );
}

/** The upstream's own error text, from the usual JSON shapes or plain text, kept short. */
function upstreamMessage(body: Buffer): string {
  const text = body.toString('utf8').trim();
  let message = text;
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = json.error as { message?: unknown } | string | undefined;
    const candidate = (typeof error === 'object' ? error?.message : error) ?? json.message ?? json.detail;
    if (candidate !== undefined)
      message = typeof candidate === 'string' ? candidate : JSON.stringify(candidate);
  } catch {
    // Not JSON: keep the text.
  }
  return message.length > 300 ? message.slice(0, 300) + '…' : message;
}

function networkError(call: HttpCall, error: unknown, retries: number): GeneratorError {
  if (error instanceof GeneratorError) return error;
  const reason = call.signal.reason as unknown;
  if (call.signal.aborted) {
    const timedOut = reason instanceof DOMException && reason.name === 'TimeoutError';
    return new GeneratorError(
      timedOut ? 'TIMEOUT' : 'CANCELLED',
      timedOut ? `${call.label}: no answer before the timeout` : `${call.label}: cancelled`,
      { cause: reason, retries },
    );
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const what = cause?.code ?? cause?.message ?? (error as Error).message;
  return new GeneratorError(
    'GENERATOR_FAILED',
    `${call.label}: request failed (${redact(String(what), call.secrets)})`,
    {
      cause: error,
      retries,
    },
  );
}

/** Replaces every secret in `text` with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
