import { describe, expect, it } from 'vitest';
import { AssetUrls } from './asset-urls.js';

const ID = 'a'.repeat(64);
const T0 = 1_700_000_000_000;

function parts(url: string): { path: string; expires: string | null; sig: string | null } {
  const parsed = new URL(url, 'http://x');
  return {
    path: parsed.pathname,
    expires: parsed.searchParams.get('expires'),
    sig: parsed.searchParams.get('sig'),
  };
}

describe('AssetUrls', () => {
  it('hands out plain paths when the server has no keys, and accepts no signature then', () => {
    const urls = new AssetUrls(null);
    expect(urls.signed).toBe(false);
    expect(urls.urlOf(ID)).toBe(`/assets/${ID}`);
    expect(urls.verify(ID, '9999999999', 'x')).toBe(false);
  });

  it('signs id and expiry; the signature verifies for that id until it expires', () => {
    let now = T0;
    const urls = new AssetUrls({ secret: 'configured secret', ttlSeconds: 3600 }, () => now);
    const { path, expires, sig } = parts(urls.urlOf(ID));
    expect(path).toBe(`/assets/${ID}`);
    expect(Number(expires)).toBeGreaterThanOrEqual(T0 / 1000 + 3600);
    expect(Number(expires)).toBeLessThan(T0 / 1000 + 3600 + 60);
    expect(urls.verify(ID, expires, sig)).toBe(true);
    now = Number(expires) * 1000 - 1;
    expect(urls.verify(ID, expires, sig)).toBe(true);
    now = Number(expires) * 1000;
    expect(urls.verify(ID, expires, sig)).toBe(false);
  });

  it('refuses another id, a moved expiry, a tampered or truncated signature, and another secret', () => {
    const urls = new AssetUrls({ secret: 'configured secret', ttlSeconds: 3600 }, () => T0);
    const { expires, sig } = parts(urls.urlOf(ID));
    expect(urls.verify('b'.repeat(64), expires, sig)).toBe(false);
    expect(urls.verify(ID, String(Number(expires) + 60), sig)).toBe(false);
    const flipped = Buffer.from(sig!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(urls.verify(ID, expires, flipped.toString('base64url'))).toBe(false);
    expect(urls.verify(ID, expires, sig!.slice(0, 10))).toBe(false);
    expect(urls.verify(ID, expires, undefined)).toBe(false);
    expect(urls.verify(ID, 'soon', sig)).toBe(false);
    const other = new AssetUrls({ secret: 'another secret', ttlSeconds: 3600 }, () => T0);
    expect(other.verify(ID, expires, sig)).toBe(false);
  });

  it('keeps the same URL within a minute, so browsers reuse what they cached', () => {
    let now = T0;
    const urls = new AssetUrls({ secret: 's', ttlSeconds: 600 }, () => now);
    const first = urls.urlOf(ID);
    now += 1000;
    expect(urls.urlOf(ID)).toBe(first);
  });

  it('draws a random secret when none is configured: two servers do not accept each other’s URLs', () => {
    const one = new AssetUrls({ secret: null, ttlSeconds: 60 }, () => T0);
    const two = new AssetUrls({ secret: null, ttlSeconds: 60 }, () => T0);
    const { expires, sig } = parts(one.urlOf(ID));
    expect(one.verify(ID, expires, sig)).toBe(true);
    expect(two.verify(ID, expires, sig)).toBe(false);
  });
});
