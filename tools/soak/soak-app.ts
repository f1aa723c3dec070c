import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FakeUpstream } from '#generators/test-support';
import { type RunningApp, startApp, waitForOk } from '../../test/support/app-process.js';
import { send, uploadRequest } from './client.js';
import { soakConfig, startFlakyUpstream } from './flaky-upstream.js';
import { type Rng, seededRng } from './prng.js';
import { noiseImage } from './workload.js';

/** A fresh data folder with the soak's CONFIG_FILE in it (generator timeouts: see soakConfig). */
export async function soakDataDir(upstream: FakeUpstream, timeoutMs?: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-soak-'));
  await writeFile(join(dir, 'soak.yaml'), soakConfig(upstream, timeoutMs));
  return dir;
}

/** The built app (`npm run build` first) on `dataDir`, ready (model loaded). */
export async function startSoakApp(dataDir: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp({ DATA_DIR: dataDir, CONFIG_FILE: join(dataDir, 'soak.yaml'), ...env }, 60_000);
  await waitForOk(app.url, '/readyz', 60_000);
  return app;
}

/** Uploads `count` images for the workload to work on; their ids. */
export async function seedAssets(url: string, rng: Rng, count = 4): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const outcome = await send(url, uploadRequest('seed', await noiseImage(rng, 96)));
    if (outcome.assets.length === 0)
      throw new Error(`could not upload a seed asset: ${JSON.stringify(outcome)}`);
    ids.push(...outcome.assets);
  }
  return ids;
}

/** Runs `use` against a fresh app (a fault-free upstream beside it), then stops and removes it all. */
export async function withSoakApp<T>(seed: number, use: (app: RunningApp) => Promise<T>): Promise<T> {
  const upstream = await startFlakyUpstream(seededRng(seed), 0);
  const dataDir = await soakDataDir(upstream);
  try {
    const app = await startSoakApp(dataDir);
    try {
      return await use(app);
    } finally {
      await app.stop();
    }
  } finally {
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
