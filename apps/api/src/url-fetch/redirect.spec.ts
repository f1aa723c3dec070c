import { describe, expect, it } from 'vitest';
import { isRedirect, redirectTarget } from './redirect.js';
import { UrlFetchError } from './url-fetch-error.js';

function refusal(run: () => unknown): UrlFetchError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UrlFetchError);
    return error as UrlFetchError;
  }
  throw new Error('expected a refusal');
}

describe('redirects', () => {
  it('knows the redirect statuses', () => {
    expect([301, 302, 303, 307, 308].every(isRedirect)).toBe(true);
    expect([200, 300, 304, 305].some(isRedirect)).toBe(false);
  });

  it('resolves Location against the current URL', () => {
    const from = new URL('https://a.example/img/1.png');
    expect(redirectTarget(from, 302, '2.png').href).toBe('https://a.example/img/2.png');
    expect(redirectTarget(from, 301, '//b.example/x').href).toBe('https://b.example/x');
    expect(redirectTarget(new URL('http://a.example/'), 307, 'https://b.example/').href).toBe(
      'https://b.example/',
    );
  });

  it('refuses https to http, a missing Location and an unparsable one', () => {
    const from = new URL('https://a.example/x');
    const downgrade = refusal(() => redirectTarget(from, 302, 'http://a.example/x'));
    expect([downgrade.code, downgrade.message]).toEqual([
      'URL_NOT_ALLOWED',
      'redirect refused: a.example redirects from https to http',
    ]);
    const missing = refusal(() => redirectTarget(from, 302, undefined));
    expect([missing.code, missing.status]).toEqual(['URL_FETCH_FAILED', 302]);
    expect(refusal(() => redirectTarget(from, 302, 'http://[::1')).code).toBe('URL_NOT_ALLOWED');
  });
});
