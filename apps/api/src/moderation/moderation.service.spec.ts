import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetService } from '../assets/asset-service.js';
import { toApiError } from '../errors/api-error.js';
import { sceneBytes, type ServiceApp, serviceApp, storedAssets } from '../test-support/service-app.js';
import { ModerationService } from './moderation.service.js';

let app: ServiceApp;
let service: ModerationService;
let assets: AssetService;
let scene: Buffer;
beforeAll(async () => {
  app = await serviceApp();
  service = app.context.get(ModerationService);
  assets = app.context.get(AssetService);
  scene = await sceneBytes('a red circle on a white background');
});
afterAll(() => app?.close());

const signal = new AbortController().signal;
const RULES = [
  { name: 'circles', description: 'a red circle', threshold: 0.5 },
  { name: 'stars', description: 'a green star', threshold: 0.5 },
];

describe('ModerationService', () => {
  it('gives a verdict per rule and stores the heat map as made from the image', async () => {
    const source = await assets.storeBytes(scene, { source: 'generated' });
    const result = await service.moderate({ assetId: source.id }, { rules: RULES }, signal);
    expect(result.rules.map((r) => r.name).sort()).toEqual(['circles', 'stars']);
    const circles = result.rules.find((r) => r.name === 'circles')!;
    const stars = result.rules.find((r) => r.name === 'stars')!;
    expect(circles.score).toBeGreaterThan(stars.score);
    expect(result.flagged).toBe(result.rules.some((r) => r.flagged));
    expect(result.heatmap).toMatchObject({
      source: 'heatmap',
      editedFrom: source.id,
      prompt: RULES.find((r) => r.name === result.heatmapRule)!.description,
      parameters: { rule: result.heatmapRule },
    });
    expect(await assets.get(result.heatmap.id)).toEqual(result.heatmap);
  });

  it.each([
    ['no rules', { rules: [] }],
    ['a rule without a description', { rules: [{ name: 'x', description: ' ' }] }],
    ['a name used twice', { rules: [RULES[0]!, { ...RULES[1]!, name: 'circles' }] }],
    ['a threshold over 1', { rules: [{ ...RULES[0]!, threshold: 2 }] }],
  ])('refuses %s with BAD_REQUEST before reading the image or storing anything', async (_, policy) => {
    const before = await storedAssets(app);
    // The asset does not exist: reading it first would answer NOT_FOUND.
    const error = await service
      .moderate({ assetId: 'f'.repeat(64) }, policy, signal)
      .catch((e: unknown) => e);
    expect(toApiError(error).code).toBe('BAD_REQUEST');
    expect(await storedAssets(app)).toBe(before);
  });
});
