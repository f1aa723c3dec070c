import { createHash } from 'node:crypto';

const ASSET_ID = /^[0-9a-f]{64}$/;

/** An asset's id is the SHA-256 of its bytes, in lowercase hex: nothing else can name a file or row. */
export function isAssetId(value: unknown): value is string {
  return typeof value === 'string' && ASSET_ID.test(value);
}

export function assetIdOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
