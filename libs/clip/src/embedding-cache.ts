import { createHash } from 'node:crypto';

/** A least-recently-used map of embeddings, keyed by content so a repeat costs nothing. */
export class EmbeddingCache {
  private readonly entries = new Map<string, Float32Array>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  get(key: string): Float32Array | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // Re-insert so Map order tracks recency: the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: Float32Array): void {
    if (this.capacity <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

export function imageKey(bytes: Uint8Array): string {
  return 'i:' + createHash('sha256').update(bytes).digest('base64url');
}

/** Decoded pixels are keyed by their size and content. */
export function pixelsKey(rgb: { data: Uint8Array; width: number; height: number }): string {
  return `p:${rgb.width}x${rgb.height}:` + createHash('sha256').update(rgb.data).digest('base64url');
}

/** Token ids decide a text embedding exactly, so texts that tokenize alike share one entry. */
export function textKey(ids: readonly number[]): string {
  return 't:' + ids.join(',');
}
