import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';
import { errorCode, gql } from './support/graphql-client.js';

const started: RunningApp[] = [];
afterAll(() => Promise.all(started.map((a) => a.stop())));

async function start(env: Record<string, string> = {}): Promise<RunningApp> {
  const app = await startApp({ DATA_DIR: await mkdtemp(join(tmpdir(), 'clipsmith-e2e-')), ...env });
  started.push(app);
  await waitForOk(app.url, '/readyz', 60_000).catch(() => undefined);
  return app;
}

const red = (): Promise<Buffer> =>
  sharp({ create: { width: 48, height: 48, channels: 3, background: '#e01010' } })
    .png()
    .toBuffer();

describe('authentication', () => {
  it('with API_KEYS, refuses requests without a valid bearer key but keeps health checks open', async () => {
    const app = await startApp({
      DATA_DIR: await mkdtemp(join(tmpdir(), 'clipsmith-e2e-')),
      API_KEYS: 'key-one,key-two',
    });
    started.push(app);
    expect((await fetch(app.url + '/healthz')).status).toBe(200);
    await waitForOk(app.url, '/readyz');
    const anonymous = await gql(app.url, '{ generators { id } }');
    expect([errorCode(anonymous), anonymous.errors![0]!.message]).toEqual([
      'UNAUTHENTICATED',
      'this server needs an API key: send Authorization: Bearer <key>',
    ]);
    expect(
      errorCode(await gql(app.url, '{ generators { id } }', {}, { authorization: 'Bearer wrong' })),
    ).toBe('UNAUTHENTICATED');
    const ok = await gql(app.url, '{ generators { id } }', {}, { authorization: 'Bearer key-two' });
    expect(ok.data).toEqual({ generators: [{ id: 'procedural' }] });
    const rest = await fetch(app.url + '/assets/' + 'a'.repeat(64));
    expect([rest.status, await rest.json()]).toEqual([
      401,
      { code: 'UNAUTHENTICATED', message: expect.any(String) },
    ]);
    expect((await fetch(app.url + '/metrics')).status).toBe(401);
    expect(app.logs.find((l) => l['msg'] === 'listening')).toMatchObject({ auth: true });
  });

  it('without API_KEYS, binds to loopback only and says so', async () => {
    const app = await start({ HOST: '0.0.0.0' });
    expect(app.url).toMatch(/^http:\/\/127\.0\.0\.1:/);
    expect(
      app.logs.some((l) => l['msg'] === 'no API_KEYS configured: binding to 127.0.0.1 instead of 0.0.0.0'),
    ).toBe(true);
  });
});

describe('limits', () => {
  it('refuses over-deep and over-broad queries before running them', async () => {
    const app = await start({ GRAPHQL_MAX_DEPTH: '3', GRAPHQL_MAX_COMPLEXITY: '50' });
    const deep = await gql(app.url, '{ assets { edges { node { id } } } }');
    expect([errorCode(deep), deep.errors![0]!.message]).toEqual([
      'QUERY_TOO_COMPLEX',
      'query depth 4 exceeds the limit of 3',
    ]);
    const broad = await gql(app.url, '{ assets(first: 100) { totalCount } }');
    expect(errorCode(broad)).toBe('QUERY_TOO_COMPLEX');
    expect((await gql(app.url, '{ generators { id } }')).errors).toBeUndefined();
  });

  it('refuses model work beyond the queue instead of piling it up, and says so', async () => {
    const app = await start({ QUEUE_MAX_ITEMS: '2' });
    const image = { base64: (await red()).toString('base64') };
    const response = await gql(
      app.url,
      `query($image: ImageInput!) { classify(image: $image, labels: ["a", "b", "c"], templates: ["{}"]) { label } }`,
      { image },
    );
    expect([errorCode(response), response.errors![0]!.message]).toEqual([
      'QUEUE_FULL',
      'the model queue is full (0 items waiting); retry shortly',
    ]);
  });

  it('enforces the pixel and item limits, and refuses SVG and unreachable URLs with their own codes', async () => {
    const app = await start({ MAX_IMAGE_PIXELS: '10000', MAX_ITEMS: '3' });
    const classify = `query($image: ImageInput!, $labels: [String!]!) { classify(image: $image, labels: $labels) { label } }`;
    const big = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#101010' } })
      .png()
      .toBuffer();
    const pixels = await gql(app.url, classify, {
      image: { base64: big.toString('base64') },
      labels: ['a', 'b'],
    });
    expect([errorCode(pixels), pixels.errors![0]!.message]).toEqual([
      'IMAGE_TOO_LARGE',
      expect.stringContaining('200×100 = 20000 pixels; the limit is 10000'),
    ]);
    const image = { base64: (await red()).toString('base64') };
    const items = await gql(app.url, classify, { image, labels: ['a', 'b', 'c', 'd'] });
    expect([errorCode(items), items.errors![0]!.message]).toEqual([
      'TOO_MANY_ITEMS',
      'labels has 4 entries; the limit is 3 (MAX_ITEMS)',
    ]);
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><image href="file:///etc/passwd"/></svg>',
    );
    expect(
      errorCode(
        await gql(app.url, classify, { image: { base64: svg.toString('base64') }, labels: ['a', 'b'] }),
      ),
    ).toBe('UNSUPPORTED_IMAGE_FORMAT');
    const svgUpload = new FormData();
    svgUpload.set('file', new Blob([svg], { type: 'image/svg+xml' }), 'x.svg');
    const rest = await fetch(app.url + '/assets', { method: 'POST', body: svgUpload });
    expect([rest.status, ((await rest.json()) as { code: string }).code]).toEqual([
      415,
      'UNSUPPORTED_IMAGE_FORMAT',
    ]);
  });

  it('refuses a bad environment value at start-up, naming it', async () => {
    await expect(startApp({ MAX_UPLOAD_BYTES: 'lots' })).rejects.toThrow(
      /exited with 78.*MAX_UPLOAD_BYTES must be an integer/,
    );
    await expect(startApp({ CONFIG_FILE: '/nonexistent.yaml' })).rejects.toThrow(
      /exited with 78.*CONFIG_FILE cannot be read/,
    );
  });
});

describe('operations', () => {
  it('exposes Prometheus metrics for requests, model batches, the queue, generators and the cache', async () => {
    const app = await start({ CLIP_CACHE_BYTES: '1048576' });
    const generate = `mutation { generate(input: { prompt: "a red circle", count: 2, width: 64, height: 64 }) { id } }`;
    await gql(app.url, generate);
    await gql(app.url, generate); // the same prompt: its embedding comes from the cache
    const metrics = await (await fetch(app.url + '/metrics')).text();
    for (const name of [
      'clipsmith_request_duration_seconds_bucket{le="0.005",operation="graphql:generate",outcome="ok"}',
      'clipsmith_model_batch_size_count{kind="image"}',
      'clipsmith_model_batch_size_count{kind="text"}',
      'clipsmith_model_queue_depth 0',
      'clipsmith_generator_duration_seconds_count{generator="procedural"} 2',
      'clipsmith_embedding_cache_misses',
      'clipsmith_embedding_cache_evictions 0',
      'clipsmith_embedding_cache_max_bytes 1048576',
      'clipsmith_process_resident_memory_bytes',
    ]) {
      expect(metrics).toContain(name);
    }
    const gauge = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(gauge('clipsmith_embedding_cache_hits')).toBeGreaterThanOrEqual(1);
    expect(gauge('clipsmith_embedding_cache_entries')).toBeGreaterThanOrEqual(1);
    expect(gauge('clipsmith_embedding_cache_bytes')).toBeGreaterThan(0);
  });

  it('finds every stored asset again after a restart, and drains in-flight work on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-e2e-'));
    const first = await startApp({ DATA_DIR: dataDir });
    await waitForOk(first.url, '/readyz');
    const generated = await gql(
      first.url,
      `mutation { generate(input: { prompt: "a green star", count: 3, seed: 3, width: 64, height: 64 }) { candidates { asset { id } } } }`,
    );
    const ids = (generated.data!['generate'] as { candidates: { asset: { id: string } }[] }).candidates.map(
      (c) => c.asset.id,
    );
    expect(ids).toHaveLength(3);
    // A request still running when SIGTERM arrives completes before the process exits.
    const inFlight = gql(
      first.url,
      `mutation { generate(input: { prompt: "a blue heart", count: 4, seed: 9, width: 256, height: 256 }) { candidates { asset { id } } } }`,
    );
    await new Promise((r) => setTimeout(r, 50));
    const exit = first.stop('SIGTERM');
    const drained = await inFlight;
    expect(drained.errors).toBeUndefined();
    expect(await exit).toBe(0);
    const second = await start({ DATA_DIR: dataDir });
    for (const id of ids) {
      const found = await gql(second.url, `query($id: ID!) { asset(id: $id) { id mime } }`, { id });
      expect(found.data!['asset']).toEqual({ id, mime: 'image/png' });
      expect((await fetch(`${second.url}/assets/${id}`)).status).toBe(200);
    }
    const search = await gql(
      second.url,
      `query($id: ID!) { searchAssets(image: { assetId: $id }, k: 1) { hits { asset { id } } } }`,
      { id: ids[1] },
    );
    expect(search.data!['searchAssets']).toEqual({ hits: [{ asset: { id: ids[1] } }] });
  });
});
