import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../assets/asset-service.js';
import { toApiError } from '../errors/api-error.js';
import { GenerationService } from '../generation/generation.service.js';
import { sceneBytes, type ServiceApp, serviceApp } from '../test-support/service-app.js';
import { RetrievalService } from './retrieval.service.js';

let app: ServiceApp;
let service: RetrievalService;
beforeAll(async () => {
  app = await serviceApp();
  service = app.context.get(RetrievalService);
});
afterAll(() => app?.close());

const signal = new AbortController().signal;

describe('RetrievalService', () => {
  it('captions an image from the procedural corpus, nearest first', async () => {
    const image = { base64: (await sceneBytes('a red circle on a white background')).toString('base64') };
    const { kept: captions } = await service.captionByRetrieval(image, 3, signal);
    expect(captions).toHaveLength(3);
    expect(captions[0]!.caption).toMatch(/red circle/);
    expect(captions.map((c) => c.score)).toEqual([...captions.map((c) => c.score)].sort((a, b) => b - a));
  });

  // Fixed seeds: the procedural generator misdraws some realisations on purpose (its fidelity), and a
  // misdrawn red circle can rank below the blue square.
  it('finds generated assets by text and by image, never those stored without an embedding', async () => {
    const generation = app.context.get(GenerationService);
    const red = await generation.generate(
      { prompt: 'a red circle on a white background', count: 1, seed: 2 },
      signal,
    );
    const blue = await generation.generate(
      { prompt: 'a blue square on a yellow background', count: 1, seed: 2 },
      signal,
    );
    const uploaded = await app.context
      .get(AssetService)
      .storeBytes(await sceneBytes('a red circle on a white background', 4), { source: 'uploaded' });
    const { kept: byText } = await service.searchAssets(
      { text: 'a red circle on a white background' },
      10,
      signal,
    );
    expect(byText.map((hit) => hit.record.id)).toEqual([red, blue].map((g) => g.candidates[0]!.asset.id));
    const { kept: byImage } = await service.searchAssets({ image: { assetId: uploaded.id } }, 10, signal);
    expect(byImage.map((hit) => hit.record.id).sort()).toEqual(byText.map((hit) => hit.record.id).sort());
  });

  it.each([
    ['both a text and an image', { text: 'x', image: { assetId: 'f'.repeat(64) } }, 5],
    ['neither a text nor an image', {}, 5],
    ['k = 0', { text: 'x' }, 0],
    ['k over 100', { text: 'x' }, 101],
    ['a blank text', { text: '  ' }, 5],
  ])('refuses %s with BAD_REQUEST', async (_, query, k) => {
    const error = await service.searchAssets(query, k, signal).catch((e: unknown) => e);
    expect(toApiError(error).code).toBe('BAD_REQUEST');
  });
});
