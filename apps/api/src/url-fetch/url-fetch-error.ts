import { CodedError } from '#clip';

/** Every code a refused or failed image URL can carry, with what it means (mapped in errors/error-map.ts). */
export const URL_FETCH_ERROR_CODES = {
  URL_NOT_ALLOWED: 'the URL is not http(s), points at a private or special address, or is off the allow-list',
  URL_FETCH_FAILED: 'the host could not be resolved or reached, or answered with an error status',
  IMAGE_TOO_LARGE: 'the answer is larger than the upload limit',
  TIMEOUT: 'the fetch did not finish before its timeout',
  TOO_MANY_REDIRECTS: 'the URL redirects more times than allowed',
  CANCELLED: 'the request that asked for the fetch went away first',
} as const satisfies Record<string, string>;

/** Stable codes for a refused or failed image URL, one of URL_FETCH_ERROR_CODES. */
export type UrlFetchErrorCode = keyof typeof URL_FETCH_ERROR_CODES;

export class UrlFetchError extends CodedError<UrlFetchErrorCode> {
  /** HTTP status of the answer that failed the fetch, when there was one. */
  readonly status: number | undefined;

  constructor(code: UrlFetchErrorCode, message: string, options?: { cause?: unknown; status?: number }) {
    super(code, message, options);
    this.status = options?.status;
  }
}
