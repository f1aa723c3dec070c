import { rm } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { graphqlRequest, send } from '../tools/soak/client.js';
import type { Outcome } from '../tools/soak/outcome.js';
import { startFlakyUpstream } from '../tools/soak/flaky-upstream.js';
import { fuzzGraphql } from '../tools/soak/fuzz-graphql.js';
import { fuzzImages } from '../tools/soak/fuzz-images.js';
import { sigkillDuringWrites } from '../tools/soak/sigkill.js';
import { sigtermUnderLoad } from '../tools/soak/sigterm.js';
import { seededRng } from '../tools/soak/prng.js';
import { soakDataDir, startSoakApp, withSoakApp } from '../tools/soak/soak-app.js';

/**
 * A generate whose one upstream call answers after `delayMs`, SIGTERM 300 ms into it: the exit code and
 * what the caller got.
 */
async function slowGenerateThenSigterm(
  env: Record<string, string>,
  delayMs: number,
): Promise<[number | null, Outcome]> {
  const upstream = await startFlakyUpstream(seededRng(4), 0);
  const dataDir = await soakDataDir(upstream, 20_000);
  try {
    const app = await startSoakApp(dataDir, env);
    upstream.fail('/v1', { delayMs }, 1);
    const query = `mutation { generate(input: { prompt: "a red circle", count: 1, generators: ["flaky-a"] }) {
      candidates { asset { id } } errors { generator code } } }`;
    const generatedIds = (body: unknown) =>
      (
        body as { data: { generate: { candidates: { asset: { id: string } }[] } } }
      ).data.generate.candidates.map((c) => c.asset.id);
    const answer = send(app.url, graphqlRequest('generate', query, {}, generatedIds));
    await new Promise((resolve) => setTimeout(resolve, 300));
    return [await app.stop('SIGTERM'), await answer];
  } finally {
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

// Small versions of `npm run soak` (tools/soak): the full runs and their figures are in docs/reliability.md.
// Fixed seeds: a failure names its case, and the same seed replays it.
describe('soak, small', () => {
  it('answers fuzzed images and GraphQL with results or documented 4xx codes, and stays up', async () => {
    const [images, graphql] = await withSoakApp(1, async (app) => [
      await fuzzImages(app, { mutations: 48, seed: 1, concurrency: 4 }),
      await fuzzGraphql(app, { cases: 40, seed: 1 }),
    ]);
    expect(images.problems).toEqual([]);
    expect(graphql.problems).toEqual([]);
    // The corpus reaches both sides: some mutations still decode, most are refused.
    expect(images.accepted).toBeGreaterThan(0);
    expect(Object.keys(images.refused)).toContain('BAD_IMAGE');
    expect(Object.keys(graphql.refused)).toContain('BAD_REQUEST');
  });

  it('SIGTERM under load: every request in flight is answered, exit 0, every reported asset is there', async () => {
    const report = await sigtermUnderLoad({ callers: 8, seed: 2, loadMs: 2000, graceMs: 15_000 });
    expect(report.problems).toEqual([]);
    expect(report.accepted).toBeGreaterThan(0);
    expect(report.assetsChecked).toBeGreaterThan(0);
  });

  it("SIGTERM answers a request running longer than 10 s (Apollo's own drain cut those)", async () => {
    const [code, answer] = await slowGenerateThenSigterm({}, 11_000);
    expect(code).toBe(0);
    expect(answer).toMatchObject({ status: 200, codes: [], generatorCodes: [] });
    expect(answer.assets).toHaveLength(1);
  });

  it('SIGTERM past SHUTDOWN_GRACE_MS cuts the requests left and exits 1', async () => {
    const [code, answer] = await slowGenerateThenSigterm({ SHUTDOWN_GRACE_MS: '300' }, 60_000);
    expect(code).toBe(1);
    expect(answer.status).toBeNull();
  });

  it('SIGKILL during writes: the store reopens whole, nothing reported stored is lost', async () => {
    const report = await sigkillDuringWrites({ kills: 1, callers: 6, seed: 3, maxRunMs: 1500 });
    expect(report.problems).toEqual([]);
    expect(report.assetsReported).toBeGreaterThan(2);
  });
});
