import type { ClipErrorCode } from '#clip';
import type { GeneratorErrorCode } from '#generators';
import type { GuidanceErrorCode } from '#guidance';
import type { UrlFetchErrorCode } from '../url-fetch/url-fetch-error.js';
import type { ApiErrorCode } from './api-error.js';

// One entry per code each lib can throw: a code added to a lib's table fails the type-check until it is
// mapped here. INTERNAL only for what no request can cause (start-up, the CLI).

export const FROM_CLIP: Readonly<Record<ClipErrorCode, ApiErrorCode>> = {
  MODEL_FILE_MISSING: 'MODEL_NOT_READY',
  MODEL_INVALID: 'MODEL_NOT_READY',
  BAD_IMAGE: 'BAD_IMAGE',
  UNSUPPORTED_IMAGE_FORMAT: 'UNSUPPORTED_IMAGE_FORMAT',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  BAD_INPUT: 'BAD_REQUEST',
  PULL_FAILED: 'INTERNAL',
};

/** What a generator got wrong is GENERATOR_FAILED; what the request asked of it wrongly is BAD_REQUEST. */
export const FROM_GENERATORS: Readonly<Record<GeneratorErrorCode, ApiErrorCode>> = {
  GENERATOR_FAILED: 'GENERATOR_FAILED',
  TIMEOUT: 'TIMEOUT',
  RATE_LIMITED: 'GENERATOR_FAILED',
  UNAUTHENTICATED: 'GENERATOR_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  BAD_RESPONSE: 'GENERATOR_FAILED',
  BAD_IMAGE: 'GENERATOR_FAILED',
  IMAGE_TOO_LARGE: 'GENERATOR_FAILED',
  UNSUPPORTED: 'BAD_REQUEST',
  CANCELLED: 'CANCELLED',
  INVALID_CONFIG: 'INTERNAL',
};

export const FROM_GUIDANCE: Readonly<Record<GuidanceErrorCode, ApiErrorCode>> = {
  BAD_INSTRUCTION: 'BAD_REQUEST',
  BAD_OPERATION: 'BAD_REQUEST',
  BAD_MASK: 'BAD_REQUEST',
  BAD_POLICY: 'BAD_REQUEST',
  BAD_LABELS: 'BAD_REQUEST',
  BAD_CAPTIONS: 'BAD_REQUEST',
  BAD_OPTION: 'BAD_REQUEST',
};

export const FROM_URL_FETCH: Readonly<Record<UrlFetchErrorCode, ApiErrorCode>> = {
  URL_NOT_ALLOWED: 'URL_NOT_ALLOWED',
  URL_FETCH_FAILED: 'URL_FETCH_FAILED',
  IMAGE_TOO_LARGE: 'IMAGE_TOO_LARGE',
  TIMEOUT: 'TIMEOUT',
  TOO_MANY_REDIRECTS: 'URL_FETCH_FAILED',
  CANCELLED: 'CANCELLED',
};
