import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** How asset URLs are signed; absent when the server has no API keys (URLs are then plain). */
export interface UrlSigning {
  /** HMAC key; null draws a random one at start-up (URLs then stop working when the process restarts). */
  secret: string | null;
  /** How long a signed URL stays valid. */
  ttlSeconds: number;
}

/** Expiries are rounded up to this, so an asset's URL stays the same (and cached) for a while. */
const EXPIRY_STEP_SECONDS = 60;

/**
 * Every asset URL the API hands out is built here: `/assets/<id>`, and with API keys set, signed
 * (`?expires=<unix s>&sig=<HMAC-SHA256 of id and expiry, base64url>`) so that an `<img>` tag, which cannot
 * send a bearer token, may still fetch it until it expires.
 */
export class AssetUrls {
  private readonly key: Buffer | null;
  private readonly ttlSeconds: number;

  constructor(
    signing: UrlSigning | null,
    private readonly now: () => number = Date.now,
  ) {
    this.key = signing ? (signing.secret ? Buffer.from(signing.secret) : randomBytes(32)) : null;
    this.ttlSeconds = signing?.ttlSeconds ?? 0;
  }

  /** Whether URLs are signed, i.e. whether the server asks for a key. */
  get signed(): boolean {
    return this.key !== null;
  }

  urlOf(id: string): string {
    const path = `/assets/${id}`;
    if (!this.key) return path;
    const earliest = Math.floor(this.now() / 1000) + this.ttlSeconds;
    const expires = Math.ceil(earliest / EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS;
    return `${path}?expires=${expires}&sig=${this.signature(this.key, id, expires).toString('base64url')}`;
  }

  /** True when `sig` is this server's signature of `id` until `expires`, and that time has not passed. */
  verify(id: string, expires: unknown, sig: unknown): boolean {
    if (!this.key || typeof expires !== 'string' || typeof sig !== 'string') return false;
    if (!/^\d{1,12}$/.test(expires) || Number(expires) * 1000 <= this.now()) return false;
    const given = Buffer.from(sig, 'base64url');
    const expected = this.signature(this.key, id, Number(expires));
    // timingSafeEqual needs equal lengths; a length mismatch says nothing about the key.
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private signature(key: Buffer, id: string, expires: number): Buffer {
    return createHmac('sha256', key).update(`${id}\n${expires}`).digest();
  }
}
