import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** What the cache has done since it was made, and what it holds. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries dropped to make room. */
  evictions: number;
  entries: number;
  /** Bytes held: each embedding's floats plus its key. */
  bytes: number;
  maxBytes: number;
}

/** A least-recently-used map of embeddings bounded in bytes, keyed by content so a repeat costs nothing. */
export class EmbeddingCache {
  /** Null when maxBytes is 0: caching is off. */
  private readonly entries: LRUCache<string, Float32Array> | null;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(readonly maxBytes: number) {
    this.entries =
      maxBytes > 0
        ? new LRUCache({
            maxSize: maxBytes,
            sizeCalculation: (value, key) => value.byteLength + key.length,
            dispose: (_value, _key, reason) => {
              if (reason === 'evict') this.evictions++;
            },
          })
        : null;
  }

  get(key: string): Float32Array | undefined {
    const value = this.entries?.get(key);
    if (value === undefined) this.misses++;
    else this.hits++;
    return value;
  }

  set(key: string, value: Float32Array): void {
    this.entries?.set(key, value);
  }

  get stats(): CacheStats {
    return {
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
      entries: this.entries?.size ?? 0,
      bytes: this.entries?.calculatedSize ?? 0,
      maxBytes: this.maxBytes,
    };
  }
}

export function imageKey(bytes: Uint8Array): string {
  return 'i:' + createHash('sha256').update(bytes).digest('base64url');
}

/** The same key as imageKey, from a SHA-256 (hex) already taken: a verified image is not hashed twice. */
export function sha256Key(hex: string): string {
  return 'i:' + Buffer.from(hex, 'hex').toString('base64url');
}

/** Decoded pixels are keyed by their size and content. */
export function pixelsKey(rgb: { data: Uint8Array; width: number; height: number }): string {
  return `p:${rgb.width}x${rgb.height}:` + createHash('sha256').update(rgb.data).digest('base64url');
}

/** Token ids decide a text embedding exactly, so texts that tokenize alike share one entry. */
export function textKey(ids: readonly number[]): string {
  return 't:' + ids.join(',');
}
