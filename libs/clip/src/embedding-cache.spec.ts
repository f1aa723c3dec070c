import { describe, expect, it } from 'vitest';
import { EmbeddingCache, imageKey, textKey } from './embedding-cache.js';

/** An embedding of `n` floats: 4n bytes. */
const embedding = (n: number, fill: number) => new Float32Array(n).fill(fill);

describe('EmbeddingCache', () => {
  it('evicts the least recently used entry once the bytes run out, counting hits, misses and evictions', () => {
    // Room for two 64-float entries (256 bytes + a 1-byte key each), not three.
    const cache = new EmbeddingCache(2 * 257 + 100);
    const a = embedding(64, 1);
    cache.set('a', a);
    cache.set('b', embedding(64, 2));
    expect(cache.get('a')).toBe(a); // a is now the most recent
    cache.set('c', embedding(64, 3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(a);
    expect(cache.get('c')?.[0]).toBe(3);
    expect(cache.stats).toEqual({ hits: 3, misses: 1, evictions: 1, entries: 2, bytes: 514, maxBytes: 614 });
  });

  it('keeps out an entry larger than the whole cache', () => {
    const cache = new EmbeddingCache(100);
    cache.set('big', embedding(64, 1));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.stats).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('stores nothing with 0 bytes, and still counts misses', () => {
    const cache = new EmbeddingCache(0);
    cache.set('a', Float32Array.of(1));
    expect(cache.get('a')).toBeUndefined();
    expect(cache.stats).toEqual({ hits: 0, misses: 1, evictions: 0, entries: 0, bytes: 0, maxBytes: 0 });
  });

  it('keys images by content and texts by token ids', () => {
    expect(imageKey(Uint8Array.of(1, 2, 3))).toBe(imageKey(Buffer.from([1, 2, 3])));
    expect(imageKey(Uint8Array.of(1, 2, 3))).not.toBe(imageKey(Uint8Array.of(1, 2, 4)));
    expect(textKey([49406, 320, 49407])).not.toBe(textKey([49406, 3200, 49407]));
  });
});
