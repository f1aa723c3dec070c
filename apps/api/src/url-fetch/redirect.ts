import { parseUrl } from './vet-target.js';
import { UrlFetchError } from './url-fetch-error.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** Where a redirect leads (relative to `from`); an https page may not send the fetch to plain http. */
export function redirectTarget(from: URL, status: number, location: string | undefined): URL {
  if (!location) {
    throw new UrlFetchError('URL_FETCH_FAILED', `${from.host} answered HTTP ${status} without a Location`, {
      status,
    });
  }
  const to = parseUrl(location, from);
  if (from.protocol === 'https:' && to.protocol === 'http:') {
    throw new UrlFetchError('URL_NOT_ALLOWED', `redirect refused: ${from.host} redirects from https to http`);
  }
  return to;
}
