import { ClipError } from '#clip';
import { GeneratorError } from '#generators';

/** Codes clients can rely on; each error a user sees carries one. */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'BAD_IMAGE'
  | 'UNSUPPORTED_IMAGE_FORMAT'
  | 'IMAGE_TOO_LARGE'
  | 'PROMPT_TOO_LONG'
  | 'TOO_MANY_ITEMS'
  | 'NOT_FOUND'
  | 'UNAUTHENTICATED'
  | 'GENERATOR_FAILED'
  | 'TIMEOUT'
  | 'URL_NOT_ALLOWED'
  | 'URL_FETCH_FAILED'
  | 'QUEUE_FULL'
  | 'MODEL_NOT_READY'
  | 'QUERY_TOO_COMPLEX'
  | 'INTERNAL';

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }
}

/** HTTP status for REST answers of each code. */
export const HTTP_STATUS: Readonly<Record<ApiErrorCode, number>> = {
  BAD_REQUEST: 400,
  BAD_IMAGE: 400,
  UNSUPPORTED_IMAGE_FORMAT: 415,
  IMAGE_TOO_LARGE: 413,
  PROMPT_TOO_LONG: 400,
  TOO_MANY_ITEMS: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  GENERATOR_FAILED: 502,
  TIMEOUT: 504,
  URL_NOT_ALLOWED: 400,
  URL_FETCH_FAILED: 400,
  QUEUE_FULL: 503,
  MODEL_NOT_READY: 503,
  QUERY_TOO_COMPLEX: 400,
  INTERNAL: 500,
};

const CODES = new Set(Object.keys(HTTP_STATUS));

/** Maps what the libraries throw onto the API's codes; anything unknown is INTERNAL with no detail. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ClipError) {
    const code = error.code === 'BAD_INPUT' ? 'BAD_REQUEST' : error.code;
    if (CODES.has(code)) return new ApiError(code as ApiErrorCode, error.message, { cause: error });
  }
  if (error instanceof GeneratorError) {
    const code = ['TIMEOUT', 'BAD_IMAGE', 'IMAGE_TOO_LARGE', 'BAD_REQUEST'].includes(error.code)
      ? (error.code as ApiErrorCode)
      : 'GENERATOR_FAILED';
    return new ApiError(code, error.message, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && CODES.has(code))
    return new ApiError(code as ApiErrorCode, (error as Error).message);
  if (error instanceof RangeError) return new ApiError('BAD_REQUEST', error.message, { cause: error });
  return new ApiError('INTERNAL', 'internal error: see the server log', { cause: error });
}
