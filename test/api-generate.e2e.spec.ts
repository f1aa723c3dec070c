import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeHuggingFace, startFakeOpenAI } from '#generators/test-support';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';
import { errorCode, gql } from './support/graphql-client.js';

const HF_TOKEN = 'hf_e2e_secret_token';
const OPENAI_KEY = 'sk-e2e-secret-key';
const MODEL = 'black-forest-labs/FLUX.1-schnell';

let app: RunningApp;
let hf: FakeUpstream;
let openai: FakeUpstream;
let dataDir: string;

const GENERATE = `mutation($input: GenerateInput!) { generate(input: $input) {
  id
  candidates { rank generator seed model parameters asset { id url width height mime prompt generator } scores { similarity clipScore relevance } }
  errors { generator code message retries } } }`;

interface Generated {
  id: string;
  candidates: {
    rank: number;
    generator: string;
    seed: number | null;
    asset: { id: string; url: string; width: number; height: number; mime: string; prompt: string };
    scores: { similarity: number; clipScore: number; relevance: number };
  }[];
  errors: { generator: string; code: string; message: string; retries: number }[];
}

beforeAll(async () => {
  hf = await startFakeHuggingFace({
    token: HF_TOKEN,
    models: { [MODEL]: { task: 'text-to-image', providers: { 'hf-inference': MODEL } } },
  });
  openai = await startFakeOpenAI({ apiKey: OPENAI_KEY });
  dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-e2e-'));
  const config = join(dataDir, 'clipsmith.yaml');
  await writeFile(
    config,
    `generators:
  - { id: local, use: procedural, options: { fidelity: 0.5 } }
  - { id: hf, use: huggingface, options: { model: ${MODEL}, endpointUrl: ${hf.url}/endpoints/${MODEL}, token: ${HF_TOKEN}, retries: 1, retryBaseDelayMs: 10 } }
  - { id: oai, use: openai-images, options: { baseUrl: ${openai.url}/v1, apiKey: ${OPENAI_KEY}, model: dall-e-2, retries: 1, retryBaseDelayMs: 10 } }
fanOut: { perGeneratorTimeoutMs: 2500 }
`,
  );
  app = await startApp({ DATA_DIR: dataDir, CONFIG_FILE: config, MAX_CANDIDATES: '12' });
  await waitForOk(app.url, '/readyz');
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([hf?.close(), openai?.close()]);
});

describe('generate and rerank', () => {
  it('lists the configured generators', async () => {
    const response = await gql(
      app.url,
      '{ generators { id kind capabilities { textToImage maxImagesPerCall } } }',
    );
    expect(response.data!['generators']).toEqual([
      { id: 'local', kind: 'procedural', capabilities: { textToImage: true, maxImagesPerCall: 8 } },
      { id: 'hf', kind: 'huggingface', capabilities: { textToImage: true, maxImagesPerCall: 1 } },
      { id: 'oai', kind: 'openai-images', capabilities: { textToImage: true, maxImagesPerCall: 4 } },
    ]);
  });

  it('asks every generator, ranks all candidates best first and stores each as an asset', async () => {
    const response = await gql<{ generate: Generated }>(app.url, GENERATE, {
      input: { prompt: 'a red circle on a blue background', count: 2, seed: 11, width: 512, height: 512 },
    });
    expect(response.errors).toBeUndefined();
    const { candidates, errors, id } = response.data!.generate;
    expect(errors).toEqual([]);
    expect(candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(candidates.map((c) => c.generator).sort()).toEqual(['hf', 'hf', 'local', 'local', 'oai', 'oai']);
    for (let i = 1; i < candidates.length; i++) {
      expect(candidates[i - 1]!.scores.relevance).toBeGreaterThanOrEqual(candidates[i]!.scores.relevance);
    }
    expect(
      candidates
        .filter((c) => c.generator === 'local')
        .map((c) => c.seed)
        .sort(),
    ).toEqual([11, 12]);
    // The upstreams saw real requests, with their credentials.
    expect(hf.requests.filter((r) => r.path.startsWith('/endpoints/'))).toHaveLength(2);
    expect(openai.requests.some((r) => r.headers.authorization === `Bearer ${OPENAI_KEY}`)).toBe(true);
    for (const c of candidates) {
      expect(c.asset).toMatchObject({
        prompt: 'a red circle on a blue background',
        generator: c.generator,
        url: `/assets/${c.asset.id}`,
      });
      const bytes = Buffer.from(await (await fetch(app.url + c.asset.url)).arrayBuffer());
      const meta = await sharp(bytes).metadata();
      expect([meta.width, meta.height]).toEqual([c.asset.width, c.asset.height]);
    }
    const stored = await gql(app.url, `query($id: ID!) { asset(id: $id) { id generationId scores } }`, {
      id: candidates[0]!.asset.id,
    });
    expect(stored.data!['asset']).toMatchObject({ id: candidates[0]!.asset.id, generationId: id });
  });

  it('returns what succeeded when one generator fails, with a typed error that hides the key', async () => {
    openai.fail('/v1/images/generations', { status: 500, message: `boom ${OPENAI_KEY}` }, 10);
    const response = await gql<{ generate: Generated }>(app.url, GENERATE, {
      input: { prompt: 'a green star', count: 1, generators: ['local', 'oai'], width: 256, height: 256 },
    });
    openai.reset();
    const { candidates, errors } = response.data!.generate;
    expect(candidates.map((c) => c.generator)).toEqual(['local']);
    expect(errors).toEqual([
      {
        generator: 'oai',
        code: 'GENERATOR_FAILED',
        message: expect.stringContaining('HTTP 500'),
        retries: 1,
      },
    ]);
    expect(JSON.stringify(response)).not.toContain(OPENAI_KEY);
  });

  it('reports a generator slower than its timeout as TIMEOUT and answers on time with the others', async () => {
    hf.fail('/endpoints/', { delayMs: 10_000 }, 5);
    const started = performance.now();
    const response = await gql<{ generate: Generated }>(app.url, GENERATE, {
      input: { prompt: 'a pink heart', count: 1, generators: ['local', 'hf'], width: 256, height: 256 },
    });
    hf.reset();
    expect(performance.now() - started).toBeLessThan(6_000);
    const { candidates, errors } = response.data!.generate;
    expect(candidates.map((c) => c.generator)).toEqual(['local']);
    expect(errors.map((e) => [e.generator, e.code])).toEqual([['hf', 'TIMEOUT']]);
  });

  it('refuses bad requests with stable codes', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ prompt: '   ' }, 'BAD_REQUEST'],
      [{ prompt: 'x'.repeat(2001) }, 'PROMPT_TOO_LONG'],
      [{ prompt: 'a red circle', count: 5 }, 'TOO_MANY_ITEMS'],
      [{ prompt: 'a red circle', generators: ['nope'] }, 'BAD_REQUEST'],
      [{ prompt: 'a red circle', diversity: 3 }, 'BAD_REQUEST'],
    ];
    for (const [input, code] of cases) {
      const response = await gql(app.url, GENERATE, { input });
      expect([JSON.stringify(input).slice(0, 40), errorCode(response)]).toEqual([
        JSON.stringify(input).slice(0, 40),
        code,
      ]);
    }
    const wrongType = await gql(app.url, GENERATE, { input: { prompt: 42 } });
    expect(errorCode(wrongType)).toBe('BAD_REQUEST');
  });

  it('pages through stored assets with cursors, newest first', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total: number;
    do {
      const page = await gql<{ assets: unknown }>(
        app.url,
        `query($after: String) { assets(first: 4, after: $after, filter: { source: "generated" }) {
          edges { cursor node { id createdAt } } pageInfo { endCursor hasNextPage } totalCount } }`,
        { after },
      );
      const connection = page.data!.assets as {
        edges: { node: { id: string } }[];
        pageInfo: { endCursor: string | null; hasNextPage: boolean };
        totalCount: number;
      };
      total = connection.totalCount;
      seen.push(...connection.edges.map((e) => e.node.id));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    // Identical bytes are one asset (content-addressed); the fakes answer with the same test images.
    expect(total).toBeGreaterThan(4);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });
});
