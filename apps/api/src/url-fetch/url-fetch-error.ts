/** Stable codes for a refused or failed image URL; the API passes them to clients. */
export type UrlFetchErrorCode =
  'URL_NOT_ALLOWED' | 'URL_FETCH_FAILED' | 'IMAGE_TOO_LARGE' | 'TIMEOUT' | 'TOO_MANY_REDIRECTS' | 'CANCELLED';

export class UrlFetchError extends Error {
  /** HTTP status of the answer that failed the fetch, when there was one. */
  readonly status: number | undefined;

  constructor(
    readonly code: UrlFetchErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number },
  ) {
    super(message, options);
    this.name = 'UrlFetchError';
    this.status = options?.status;
  }
}
