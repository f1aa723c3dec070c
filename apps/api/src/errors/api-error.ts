import { ClipError, CodedError } from '#clip';
import { GeneratorError } from '#generators';
import { GuidanceError } from '#guidance';
import { isStoreUnavailable } from '../database/database.js';
import { UrlFetchError } from '../url-fetch/url-fetch-error.js';
import { FROM_CLIP, FROM_GENERATORS, FROM_GUIDANCE, FROM_URL_FETCH } from './error-map.js';

/**
 * The codes clients can rely on (GraphQL `extensions.code`, REST `{ code }`), each with the HTTP status
 * of a REST answer and what it means. docs/errors.md is this table in prose.
 */
export const API_ERROR_CODES = {
  BAD_REQUEST: { status: 400, meaning: 'the request is malformed or an argument is out of range' },
  BAD_IMAGE: { status: 400, meaning: 'an input image is corrupt, truncated, or not an image' },
  UNSUPPORTED_IMAGE_FORMAT: {
    status: 415,
    meaning: 'an input image is in a format the service does not decode',
  },
  IMAGE_TOO_LARGE: { status: 413, meaning: 'an input image is over the byte or pixel limits' },
  PROMPT_TOO_LONG: { status: 400, meaning: 'a prompt or text is longer than the limit' },
  TOO_MANY_ITEMS: {
    status: 400,
    meaning: 'a list (candidates, labels, captions, rules) is longer than the limit',
  },
  NOT_FOUND: { status: 404, meaning: 'no asset with that id' },
  UNAUTHENTICATED: { status: 401, meaning: 'the API key is missing or wrong' },
  GENERATOR_FAILED: {
    status: 502,
    meaning: 'a generator or its upstream failed; the request itself was fine',
  },
  TIMEOUT: { status: 504, meaning: 'a generator or an image URL did not answer in time' },
  URL_NOT_ALLOWED: { status: 400, meaning: 'an image URL the server refuses to fetch' },
  URL_FETCH_FAILED: { status: 400, meaning: 'an image URL that could not be fetched' },
  QUEUE_FULL: { status: 503, meaning: 'the model queue is full; retry shortly' },
  MODEL_NOT_READY: { status: 503, meaning: 'the model is loading, or failed to load' },
  QUERY_TOO_COMPLEX: { status: 400, meaning: 'the GraphQL query is deeper or costlier than the limits' },
  CANCELLED: { status: 499, meaning: 'the client went away before the answer, or its job was cancelled' },
  QUEUE_UNAVAILABLE: { status: 503, meaning: 'the queue (Redis) cannot be reached; retry shortly' },
  WORKER_TIMEOUT: {
    status: 504,
    meaning: 'no worker answered a model call within MODEL_CALL_TIMEOUT_MS',
  },
  STORE_UNAVAILABLE: { status: 503, meaning: 'the database cannot be reached; retry shortly' },
  INTERRUPTED: { status: 503, meaning: 'the process running a job died, and the job is out of attempts' },
  INTERNAL: { status: 500, meaning: 'a bug or a server-side failure; the log has the details' },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ApiErrorCode = keyof typeof API_ERROR_CODES;

export class ApiError extends CodedError<ApiErrorCode> {}

/** HTTP status for REST answers of each code. */
export const HTTP_STATUS = Object.fromEntries(
  Object.entries(API_ERROR_CODES).map(([code, { status }]) => [code, status]),
) as Readonly<Record<ApiErrorCode, number>>;

/**
 * Maps what the libraries throw onto the API's codes, each lib code through its table in error-map.ts.
 * Anything else (a plain Error is a bug) is INTERNAL with no detail.
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isStoreUnavailable(error)) {
    return new ApiError('STORE_UNAVAILABLE', 'the database cannot be reached; retry shortly', {
      cause: error,
    });
  }
  const code =
    error instanceof ClipError
      ? FROM_CLIP[error.code]
      : error instanceof GeneratorError
        ? FROM_GENERATORS[error.code]
        : error instanceof GuidanceError
          ? FROM_GUIDANCE[error.code]
          : error instanceof UrlFetchError
            ? FROM_URL_FETCH[error.code]
            : 'INTERNAL';
  return code === 'INTERNAL'
    ? new ApiError('INTERNAL', 'internal error: see the server log', { cause: error })
    : new ApiError(code, (error as Error).message, { cause: error });
}
