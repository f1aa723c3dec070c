import { afterAll, describe, expect, it } from 'vitest';
import { PARITY_MODEL } from '#clip/test-support';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';

const started: RunningApp[] = [];
afterAll(() => Promise.all(started.map((app) => app.stop())));

async function start(env: Record<string, string>): Promise<RunningApp> {
  const app = await startApp(env);
  started.push(app);
  return app;
}

describe('health and readiness', () => {
  it('is alive at once and ready once the model has loaded, reporting the model', async () => {
    const app = await start({ MODEL_DIR: PARITY_MODEL });
    expect(await (await fetch(app.url + '/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await (await waitForOk(app.url, '/readyz')).json();
    expect(ready).toMatchObject({
      status: 'ready',
      model: { dir: PARITY_MODEL, dtype: 'fp32', embeddingDim: 16, imageSize: { height: 224, width: 224 } },
    });
    expect(app.logs.every((l) => typeof l['level'] === 'string')).toBe(true);
  });

  it('stays alive and says why when the model cannot load', async () => {
    const app = await start({ MODEL_DIR: '/nonexistent/model' });
    expect((await fetch(app.url + '/healthz')).status).toBe(200);
    let body: Record<string, unknown> = {};
    for (let i = 0; i < 50 && body['status'] !== 'failed'; i++) {
      const response = await fetch(app.url + '/readyz');
      expect(response.status).toBe(503);
      body = (await response.json()) as Record<string, unknown>;
      if (body['status'] !== 'failed') await new Promise((r) => setTimeout(r, 100));
    }
    expect(body).toMatchObject({
      status: 'failed',
      error:
        'model folder /nonexistent/model does not exist: give a model folder (MODEL_DIR, --model) or pull one',
    });
  });

  it('refuses to start on a bad setting, naming it', async () => {
    await expect(startApp({ MODEL_DIR: PARITY_MODEL, MODEL_DTYPE: 'fp64' })).rejects.toThrow(
      /exited with 78.*MODEL_DTYPE must be one of fp32/,
    );
  });

  it('exits cleanly on SIGTERM', async () => {
    const app = await startApp({ MODEL_DIR: PARITY_MODEL });
    await waitForOk(app.url, '/readyz');
    expect(await app.stop('SIGTERM')).toBe(0);
  });
});
