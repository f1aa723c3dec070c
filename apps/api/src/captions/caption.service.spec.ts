import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../assets/asset-service.js';
import { toApiError } from '../errors/api-error.js';
import { sceneBytes, type ServiceApp, serviceApp } from '../test-support/service-app.js';
import { CaptionService } from './caption.service.js';

let app: ServiceApp;
let service: CaptionService;
let assets: AssetService;
let redCircle: Buffer;
beforeAll(async () => {
  app = await serviceApp();
  service = app.context.get(CaptionService);
  assets = app.context.get(AssetService);
  redCircle = await sceneBytes('a red circle on a white background');
});
afterAll(() => app?.close());

const signal = new AbortController().signal;

describe('CaptionService', () => {
  it('scores captions, RefCLIPScore only with references, and records them on a named asset when asked', async () => {
    const stored = await assets.storeBytes(redCircle, { source: 'generated' });
    const scores = await service.score(
      {
        items: [
          { image: { assetId: stored.id }, caption: ' a red circle ' },
          { image: { assetId: stored.id }, caption: 'a blue square', references: ['a red circle'] },
          { image: { base64: redCircle.toString('base64') }, caption: 'not recorded' },
        ],
        store: true,
      },
      signal,
    );
    expect(scores.map((s) => s.caption)).toEqual(['a red circle', 'a blue square', 'not recorded']);
    expect(scores[0]!.similarity).toBeGreaterThan(scores[1]!.similarity);
    expect(scores[0]!.clipScore).toBeCloseTo(2.5 * Math.max(scores[0]!.similarity, 0), 6);
    expect(scores.map((s) => s.refClipScore === null)).toEqual([true, false, true]);
    expect(await assets.captions(stored.id)).toMatchObject([
      { caption: 'a red circle', clipScore: scores[0]!.clipScore, refClipScore: null },
      { caption: 'a blue square', clipScore: scores[1]!.clipScore, refClipScore: scores[1]!.refClipScore },
    ]);
  });

  it('records nothing unless asked', async () => {
    const stored = await assets.storeBytes(await sceneBytes('a red circle on a white background', 3), {
      source: 'generated',
    });
    await service.score({ items: [{ image: { assetId: stored.id }, caption: 'a red circle' }] }, signal);
    expect(await assets.captions(stored.id)).toEqual([]);
  });

  it('ranks captions best first, with probabilities over them', async () => {
    const ranked = await service.rank(
      { base64: redCircle.toString('base64') },
      ['a blue square', 'a red circle', 'a green triangle'],
      signal,
    );
    expect(ranked[0]!.caption).toBe('a red circle');
    expect(ranked.reduce((sum, r) => sum + r.probability, 0)).toBeCloseTo(1, 5);
  });

  it('checks every caption before reading any image', async () => {
    const error = await service
      .score(
        {
          items: [
            { image: { assetId: 'f'.repeat(64) }, caption: 'fine' },
            { image: { assetId: 'f'.repeat(64) }, caption: 'x'.repeat(2001) },
          ],
        },
        signal,
      )
      .catch((e: unknown) => e);
    expect(toApiError(error)).toMatchObject({ code: 'PROMPT_TOO_LONG', message: /items\[1\]\.caption/ });
    const none = await service
      .rank({ base64: redCircle.toString('base64') }, [], signal)
      .catch((e: unknown) => e);
    expect(toApiError(none).code).toBe('BAD_REQUEST');
  });
});
