import { describe, expect, it } from 'vitest';
import { AssetRepository } from './asset-repository.js';
import { EmbeddingIndex } from './embedding-index.js';
import { EmbeddingRepository } from './embedding-repository.js';
import { DATABASE_KINDS, newAsset, testDatabase } from './test-support/fixtures.js';

describe.each(DATABASE_KINDS)('EmbeddingRepository on %s', (kind) => {
  it('round-trips embeddings bit for bit, per model', async () => {
    const database = await testDatabase(kind);
    const assets = new AssetRepository(database);
    const embeddings = new EmbeddingRepository(database);
    const a = await assets.insert(newAsset());
    const b = await assets.insert(newAsset());
    const exact = new Float32Array([0.1, -0, 1e-45, -3.4028234663852886e38, Math.PI, 1 / 3]);
    await embeddings.set(a.id, 'clip-b32', exact);
    await embeddings.set(b.id, 'clip-b32', new Float32Array(6).fill(0.5));
    await embeddings.set(a.id, 'clip-l14', new Float32Array([1, 2]));
    const back = (await embeddings.get(a.id, 'clip-b32'))!;
    expect(Buffer.from(back.buffer)).toEqual(Buffer.from(exact.buffer));
    expect(Object.is(back[1], -0)).toBe(true);
    expect(await embeddings.get(a.id, 'clip-l14')).toEqual(new Float32Array([1, 2]));
    expect(await embeddings.get(b.id, 'clip-l14')).toBeNull();

    await embeddings.set(b.id, 'clip-b32', new Float32Array(6).fill(0.25)); // replaces
    const set = await embeddings.all('clip-b32');
    expect(set.ids).toEqual([a.id, b.id].sort());
    expect(set.dim).toBe(6);
    const byId = new Map(set.ids.map((id, i) => [id, set.vectors[i]!]));
    expect(byId.get(a.id)).toEqual(exact);
    expect(byId.get(b.id)).toEqual(new Float32Array(6).fill(0.25));
    // Views into one buffer, not copies.
    expect(set.vectors[0]!.buffer).toBe(set.vectors[1]!.buffer);
    expect(await embeddings.all('none')).toEqual({ modelKey: 'none', dim: 0, ids: [], vectors: [] });
  });

  it('lets an index over a shared store find what another node stored since it loaded', async () => {
    const database = await testDatabase(kind);
    const assets = new AssetRepository(database);
    const [a, b] = [await assets.insert(newAsset()), await assets.insert(newAsset())];
    const here = new EmbeddingIndex(new EmbeddingRepository(database), true);
    const elsewhere = new EmbeddingIndex(new EmbeddingRepository(database), true);
    await here.add(a.id, { modelKey: 'm', vector: new Float32Array([1, 0]) });
    expect(
      (await here.nearest({ modelKey: 'm', vector: new Float32Array([0, 1]) }, 5)).map((h) => h.id),
    ).toEqual([a.id]);
    await elsewhere.add(b.id, { modelKey: 'm', vector: new Float32Array([0, 1]) });
    const hits = await here.nearest({ modelKey: 'm', vector: new Float32Array([0, 1]) }, 5);
    expect(hits.map((h) => h.id)).toEqual([b.id, a.id]);
    expect(await new EmbeddingRepository(database).count('m')).toBe(2);
  });

  it('refuses embeddings a search could not use', async () => {
    const database = await testDatabase(kind);
    const a = await new AssetRepository(database).insert(newAsset());
    const embeddings = new EmbeddingRepository(database);
    await embeddings.set(a.id, 'clip-b32', new Float32Array(4));
    await expect(embeddings.set(a.id, 'clip-b32', new Float32Array(5))).rejects.toThrow(
      /clip-b32 have 4 dimensions; this one has 5/,
    );
    await expect(embeddings.set(a.id, 'x', new Float32Array(0))).rejects.toThrow(/non-empty/);
    await expect(embeddings.set(a.id, 'x', new Float32Array([1, NaN]))).rejects.toThrow(/finite/);
    await expect(embeddings.set('0'.repeat(64), 'x', new Float32Array(2))).rejects.toThrow(/foreign key/i);
  });
});
