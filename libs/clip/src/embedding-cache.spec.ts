import { describe, expect, it } from 'vitest';
import { EmbeddingCache, imageKey, textKey } from './embedding-cache.js';

describe('EmbeddingCache', () => {
  it('evicts the least recently used entry and counts hits and misses', () => {
    const cache = new EmbeddingCache(2);
    const a = Float32Array.of(1);
    cache.set('a', a);
    cache.set('b', Float32Array.of(2));
    expect(cache.get('a')).toBe(a); // a is now the most recent
    cache.set('c', Float32Array.of(3));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(a);
    expect(cache.get('c')?.[0]).toBe(3);
    expect([cache.hits, cache.misses, cache.size]).toEqual([3, 1, 2]);
  });

  it('stores nothing with capacity 0', () => {
    const cache = new EmbeddingCache(0);
    cache.set('a', Float32Array.of(1));
    expect(cache.get('a')).toBeUndefined();
  });

  it('keys images by content and texts by token ids', () => {
    expect(imageKey(Uint8Array.of(1, 2, 3))).toBe(imageKey(Buffer.from([1, 2, 3])));
    expect(imageKey(Uint8Array.of(1, 2, 3))).not.toBe(imageKey(Uint8Array.of(1, 2, 4)));
    expect(textKey([49406, 320, 49407])).not.toBe(textKey([49406, 3200, 49407]));
  });
});
