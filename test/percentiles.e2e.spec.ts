import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeOpenAI } from '#generators/test-support';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';
import { errorCode, gql } from './support/graphql-client.js';

const OPENAI_KEY = 'sk-e2e-percentiles';
const PROMPT = 'a purple heart on a white background';

let app: RunningApp;
let openai: FakeUpstream;

interface Generated {
  candidates: {
    generator: string;
    asset: { id: string };
    scores: { similarity: number; percentile: number };
  }[];
  droppedBelowPercentile: number;
}

const GENERATE = `mutation($input: GenerateInput!) { generate(input: $input) {
  candidates { generator asset { id } scores { similarity percentile } } droppedBelowPercentile } }`;
const SEARCH = `query($text: String!, $min: Float) { searchAssets(text: $text, k: 10, minPercentile: $min) {
  hits { asset { id } score percentile } droppedBelowPercentile } }`;

beforeAll(async () => {
  // The fake OpenAI answers with solid colours: pictures of nothing the prompt names.
  openai = await startFakeOpenAI({ apiKey: OPENAI_KEY });
  const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-e2e-'));
  const config = join(dataDir, 'clipsmith.yaml');
  await writeFile(
    config,
    `generators:
  - { id: local, use: procedural, options: { fidelity: 1, defaultSize: 128 } }
  - { id: oai, use: openai-images, options: { baseUrl: ${openai.url}/v1, apiKey: ${OPENAI_KEY}, model: dall-e-2, retries: 0 } }
`,
  );
  app = await startApp({ DATA_DIR: dataDir, CONFIG_FILE: config });
  await waitForOk(app.url, '/readyz');
});
afterAll(async () => {
  await app?.stop();
  await openai?.close();
});

describe('percentiles and minPercentile over GraphQL', () => {
  it('generate drops candidates no better than minPercentile, stores none of them, and counts them', async () => {
    const all = await gql<{ generate: Generated }>(app.url, GENERATE, {
      input: { prompt: PROMPT, count: 2, seed: 3, width: 256, height: 256 },
    });
    expect(all.errors).toBeUndefined();
    const every = all.data!.generate;
    expect(every.droppedBelowPercentile).toBe(0);
    expect(every.candidates).toHaveLength(4);
    const byGenerator = (g: string): number[] =>
      every.candidates.filter((c) => c.generator === g).map((c) => c.scores.percentile);
    for (const p of byGenerator('local')) expect(p).toBeGreaterThan(95);
    for (const p of byGenerator('oai')) expect(p).toBeLessThanOrEqual(95);

    const before = await assetCount();
    const cut = await gql<{ generate: Generated }>(app.url, GENERATE, {
      input: { prompt: PROMPT, count: 2, seed: 7, width: 256, height: 256, minPercentile: 95 },
    });
    expect(cut.errors).toBeUndefined();
    const kept = cut.data!.generate;
    expect(kept.candidates.map((c) => c.generator)).toEqual(['local', 'local']);
    expect(kept.droppedBelowPercentile).toBe(2);
    // The fake's solid colours are the same bytes as before (content-addressed); only the new scenes are new.
    expect(await assetCount()).toBe(before + 2);
  });

  it('"no good match" is an answer: every candidate dropped, none an error', async () => {
    const response = await gql<{ generate: Generated }>(app.url, GENERATE, {
      input: { prompt: PROMPT, count: 1, generators: ['oai'], minPercentile: 95 },
    });
    expect(response.errors).toBeUndefined();
    expect(response.data!.generate).toEqual({ candidates: [], droppedBelowPercentile: 1 });
  });

  it('searchAssets and captionByRetrieval give percentiles and drop what is no better than minPercentile', async () => {
    const all = await gql(app.url, SEARCH, { text: PROMPT });
    const hits = (all.data!['searchAssets'] as { hits: { percentile: number }[] }).hits;
    const good = hits.filter((h) => h.percentile > 95).length;
    expect(good).toBeGreaterThanOrEqual(4);
    expect(hits.length - good).toBeGreaterThanOrEqual(1);
    const cut = await gql(app.url, SEARCH, { text: PROMPT, min: 95 });
    expect(cut.data!['searchAssets']).toMatchObject({
      hits: expect.toSatisfy((h: unknown[]) => h.length === good),
      droppedBelowPercentile: hits.length - good,
    });
    const none = await gql(app.url, SEARCH, { text: 'a yellow cross on a black background', min: 99 });
    expect(none.data!['searchAssets']).toEqual({ hits: [], droppedBelowPercentile: hits.length });

    const [best] = (cut.data!['searchAssets'] as { hits: { asset: { id: string } }[] }).hits;
    const captions = await gql(
      app.url,
      `query($id: ID!) { captionByRetrieval(image: { assetId: $id }, k: 5, minPercentile: 99) {
        captions { caption score percentile } droppedBelowPercentile } }`,
      { id: best!.asset.id },
    );
    expect(captions.errors).toBeUndefined();
    const retrieved = captions.data!['captionByRetrieval'] as {
      captions: { caption: string; percentile: number }[];
      droppedBelowPercentile: number;
    };
    expect(retrieved.captions.length + retrieved.droppedBelowPercentile).toBe(5);
    expect(retrieved.captions[0]!.caption).toMatch(/purple heart/);
    for (const c of retrieved.captions) expect(c.percentile).toBeGreaterThan(99);
  });

  it('refuses a least percentile outside 0–100 before asking any generator', async () => {
    const calls = openai.requests.length;
    const response = await gql(app.url, GENERATE, { input: { prompt: PROMPT, minPercentile: 101 } });
    expect(errorCode(response)).toBe('BAD_REQUEST');
    expect(openai.requests.length).toBe(calls);
    expect(errorCode(await gql(app.url, SEARCH, { text: PROMPT, min: -5 }))).toBe('BAD_REQUEST');
  });
});

async function assetCount(): Promise<number> {
  const page = await gql<{ assets: { totalCount: number } }>(app.url, '{ assets(first: 1) { totalCount } }');
  return page.data!.assets.totalCount;
}
