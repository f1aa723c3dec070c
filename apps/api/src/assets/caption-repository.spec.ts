import { describe, expect, it } from 'vitest';
import { AssetRepository } from './asset-repository.js';
import { CaptionRepository } from './caption-repository.js';
import { DATABASE_KINDS, newAsset, testDatabase } from './test-support/fixtures.js';

describe.each(DATABASE_KINDS)('CaptionRepository on %s', (kind) => {
  it('adds captions with their scores, oldest first', async () => {
    const database = await testDatabase(kind);
    const asset = await new AssetRepository(database).insert(newAsset());
    const captions = new CaptionRepository(database);
    const a = await captions.add(asset.id, { caption: 'a fox', clipScore: 0.7, refClipScore: 0.65 });
    const b = await captions.add(asset.id, { caption: 'an animal' });
    expect(a).toEqual({
      id: expect.any(Number),
      assetId: asset.id,
      caption: 'a fox',
      clipScore: 0.7,
      refClipScore: 0.65,
      createdAt: expect.any(String),
    });
    expect(b).toMatchObject({ caption: 'an animal', clipScore: null, refClipScore: null });
    expect(await captions.of(asset.id)).toEqual([a, b]);
    expect(await captions.of('0'.repeat(64))).toEqual([]);
    await expect(captions.add('0'.repeat(64), { caption: 'orphan' })).rejects.toThrow(/foreign key/i);
  });
});
