import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../assets/asset-service.js';
import { toApiError } from '../errors/api-error.js';
import { RetrievalService } from '../retrieval/retrieval.service.js';
import { drawingGenerator, failingGenerator } from '../test-support/scripted-generators.js';
import { type ServiceApp, serviceApp, storedAssets } from '../test-support/service-app.js';
import { GenerationService } from './generation.service.js';

const scenes = drawingGenerator('scenes');
const limited = failingGenerator('limited', 'RATE_LIMITED', 429);

let app: ServiceApp;
let service: GenerationService;
beforeAll(async () => {
  app = await serviceApp({ generators: [scenes, limited], env: { MAX_CANDIDATES: '8' } });
  service = app.context.get(GenerationService);
});
afterAll(() => app?.close());

const signal = new AbortController().signal;

describe('GenerationService', () => {
  it('ranks every candidate, stores each with its provenance, and lists the generator that failed', async () => {
    const result = await service.generate(
      { prompt: 'a red circle on a white background', count: 3, seed: 5 },
      signal,
    );
    expect(result.candidates.map((c) => c.rank)).toEqual([1, 2, 3]);
    expect(result.candidates.map((c) => c.seed).sort()).toEqual([5, 6, 7]);
    const scores = result.candidates.map((c) => c.scores.rankScore);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(result.errors).toEqual([
      { generator: 'limited', code: 'RATE_LIMITED', message: 'limited answered HTTP 429', retries: 0 },
    ]);
    const assets = app.context.get(AssetService);
    for (const candidate of result.candidates) {
      expect(await assets.get(candidate.asset.id)).toMatchObject({
        source: 'generated',
        prompt: 'a red circle on a white background',
        generatorId: 'scenes',
        seed: candidate.seed,
        generationId: result.id,
        parameters: { prompt: 'a red circle on a white background', model: 'scenes-1' },
      });
    }
  });

  it('makes what it stores findable by searchAssets', async () => {
    const result = await service.generate(
      { prompt: 'a blue square on a yellow background', count: 2, generators: ['scenes'] },
      signal,
    );
    const best = result.candidates[0]!.asset;
    const { kept: hits } = await app.context
      .get(RetrievalService)
      .searchAssets({ image: { assetId: best.id } }, 1, signal);
    expect(hits[0]!.record.id).toBe(best.id);
    expect(hits[0]!.score).toBeCloseTo(1, 5);
  });

  it.each([
    ['a blank prompt', { prompt: '   ' }, 'BAD_REQUEST'],
    ['a prompt over MAX_PROMPT_LENGTH', { prompt: 'x'.repeat(2001) }, 'PROMPT_TOO_LONG'],
    ['more candidates than MAX_CANDIDATES', { prompt: 'a red circle', count: 5 }, 'TOO_MANY_ITEMS'],
    ['no candidates', { prompt: 'a red circle', count: 0 }, 'BAD_REQUEST'],
    ['an unknown generator', { prompt: 'a red circle', generators: ['nope'] }, 'BAD_REQUEST'],
    ['a diversity outside [0, 1]', { prompt: 'a red circle', diversity: 3 }, 'BAD_REQUEST'],
  ])('refuses %s before asking any generator or storing anything', async (_, input, code) => {
    const calls = scenes.calls.length;
    const stored = await storedAssets(app);
    const error = await service.generate(input, signal).catch((e: unknown) => e);
    expect(toApiError(error).code).toBe(code);
    expect(scenes.calls.length).toBe(calls);
    expect(await storedAssets(app)).toBe(stored);
  });
});
