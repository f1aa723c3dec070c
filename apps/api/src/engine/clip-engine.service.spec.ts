import { describe, expect, it } from 'vitest';
import { serviceApp } from '../test-support/service-app.js';
import { ClipEngineService } from './clip-engine.service.js';

describe('ClipEngineService', () => {
  it('serves the loaded model, and disposes it (its inference thread) when the app shuts down', async () => {
    const app = await serviceApp();
    const service = app.context.get(ClipEngineService);
    expect(service.state.status).toBe('ready');
    const engine = service.ready;
    expect((await engine.embedTexts(['a red circle']))[0]!.length).toBe(engine.info.embeddingDim);
    await app.close();
    await expect(engine.embedTexts(['a text the cache has never seen'])).rejects.toThrow(/disposed/);
  });
});
