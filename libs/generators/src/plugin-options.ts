import type { GenerateContext, GeneratorEnvironment } from './contract.js';
import { GeneratorConfigError, GeneratorError } from './errors.js';
import {
  DEFAULT_RETRY_POLICY,
  type HttpCall,
  type HttpResult,
  requestWithRetry,
  type RetryPolicy,
} from './http/request-with-retry.js';

type Options = Readonly<Record<string, unknown>>;

export interface NumberSpec {
  min: number;
  max: number;
  integer?: boolean;
  fallback?: number;
}

/*
 * Typed readers for a plugin's `options`. Every bad value fails at start-up with a message naming the
 * generator and the key, e.g. `generator "hf": options.timeoutMs must be a number from 1000 to 600000`.
 * `null` (an empty YAML value) counts as not given.
 */

export function optionError(id: string, key: string, problem: string): GeneratorConfigError {
  return new GeneratorConfigError(`generator "${id}": options.${key} ${problem}`);
}

export function readString(id: string, options: Options, key: string): string {
  const value = readOptionalString(id, options, key);
  if (value === undefined) throw optionError(id, key, 'is required (a non-empty string)');
  return value;
}

export function readOptionalString(id: string, options: Options, key: string): string | undefined {
  const value = options[key] ?? undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw optionError(id, key, 'must be a non-empty string');
  return value;
}

export function readNumber(
  id: string,
  options: Options,
  key: string,
  spec: NumberSpec & { fallback: number },
): number;
export function readNumber(id: string, options: Options, key: string, spec: NumberSpec): number | undefined;
export function readNumber(id: string, options: Options, key: string, spec: NumberSpec): number | undefined {
  const value = options[key] ?? undefined;
  if (value === undefined) return spec.fallback;
  const ok =
    typeof value === 'number' &&
    value >= spec.min &&
    value <= spec.max &&
    (!spec.integer || Number.isInteger(value));
  if (!ok) {
    const kind = spec.integer ? 'an integer' : 'a number';
    throw optionError(id, key, `must be ${kind} from ${spec.min} to ${spec.max}`);
  }
  return value;
}

export function readBoolean(id: string, options: Options, key: string, fallback: boolean): boolean {
  const value = options[key] ?? undefined;
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw optionError(id, key, 'must be true or false');
  return value;
}

/** An http(s) URL, returned without trailing slashes so that paths can be appended. */
export function readUrl(id: string, options: Options, key: string, fallback: string): string;
export function readUrl(id: string, options: Options, key: string): string | undefined;
export function readUrl(id: string, options: Options, key: string, fallback?: string): string | undefined {
  const value = readOptionalString(id, options, key);
  if (value === undefined) return fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw optionError(id, key, 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw optionError(id, key, 'must be an http(s) URL');
  // fetch refuses URLs with credentials: say so now rather than at the first request.
  if (url.username || url.password) throw optionError(id, key, 'must not carry credentials');
  return value.replace(/\/+$/, '');
}

export function readEnum<T extends string>(
  id: string,
  options: Options,
  key: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = options[key] ?? undefined;
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) throw optionError(id, key, `must be one of ${choices.join(', ')}`);
  return value as T;
}

export function readStringList(id: string, options: Options, key: string): string[] | undefined {
  const value = options[key] ?? undefined;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && v !== '')) {
    throw optionError(id, key, 'must be a non-empty list of strings');
  }
  return value as string[];
}

/** Refuses keys outside `known`: a misspelt key would otherwise be silently ignored. */
export function rejectUnknownOptions(id: string, options: Options, known: readonly string[]): void {
  const unknown = Object.keys(options).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw optionError(id, unknown, `is not an option of this generator (known: ${known.join(', ')})`);
  }
}

/** The HTTP options every upstream plugin shares. */
export interface HttpOptions {
  retry: RetryPolicy;
  /** Per call, on top of the caller's own deadline. */
  timeoutMs: number | undefined;
  maxResponseBytes: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** The keys readHttpOptions reads, for rejectUnknownOptions. */
export const HTTP_OPTION_KEYS = [
  'retries',
  'retryBaseDelayMs',
  'retryMaxDelayMs',
  'timeoutMs',
  'maxResponseBytes',
] as const;

export function readHttpOptions(id: string, options: Options): HttpOptions {
  const { retries, baseDelayMs, maxDelayMs } = DEFAULT_RETRY_POLICY;
  return {
    retry: {
      retries: readNumber(id, options, 'retries', { min: 0, max: 10, integer: true, fallback: retries }),
      baseDelayMs: readNumber(id, options, 'retryBaseDelayMs', {
        min: 0,
        max: 60_000,
        fallback: baseDelayMs,
      }),
      maxDelayMs: readNumber(id, options, 'retryMaxDelayMs', { min: 0, max: 600_000, fallback: maxDelayMs }),
    },
    timeoutMs: readNumber(id, options, 'timeoutMs', { min: 1000, max: 600_000 }),
    maxResponseBytes: readNumber(id, options, 'maxResponseBytes', {
      min: 1024,
      max: 2 ** 30,
      integer: true,
      fallback: DEFAULT_MAX_RESPONSE_BYTES,
    }),
  };
}

/** The HttpCall for one generate(): the caller's signal, cut short by options.timeoutMs if set. */
export function httpCall(
  id: string,
  http: HttpOptions,
  environment: GeneratorEnvironment,
  context: GenerateContext,
  secrets: readonly string[],
): HttpCall {
  const signal =
    http.timeoutMs === undefined
      ? context.signal
      : AbortSignal.any([context.signal, AbortSignal.timeout(http.timeoutMs)]);
  return {
    label: id,
    fetch: environment.fetch,
    signal,
    retry: http.retry,
    maxResponseBytes: http.maxResponseBytes,
    secrets,
    onRetry: context.onRetry,
  };
}

/** The body of a JSON API's answer; anything else (an HTML error page, say) is a BAD_RESPONSE. */
export function jsonBody(result: HttpResult, call: HttpCall): unknown {
  try {
    return JSON.parse(result.body.toString('utf8'));
  } catch {
    const type = result.headers.get('content-type') ?? 'no content type';
    throw new GeneratorError('BAD_RESPONSE', `${call.label}: expected JSON, got ${type}`, {
      status: result.status,
      retries: result.retries,
    });
  }
}

/**
 * Downloads an image an API answered with a URL of. Such URLs are presigned, often on another host,
 * so the upstream's credentials are not sent along.
 */
export async function downloadImage(
  url: string,
  call: HttpCall,
): Promise<{ bytes: Uint8Array; mimeType: string }> {
  if (!/^https?:\/\//.test(url)) {
    throw new GeneratorError('BAD_RESPONSE', `${call.label}: the image URL is not http(s)`);
  }
  const result = await requestWithRetry(url, { method: 'GET' }, call);
  return {
    bytes: new Uint8Array(result.body),
    mimeType: result.headers.get('content-type') ?? 'application/octet-stream',
  };
}
