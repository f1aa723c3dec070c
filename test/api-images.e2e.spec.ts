import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startReadyApp } from './support/app-process.js';
import { errorCode, gql, gqlUpload } from './support/graphql-client.js';

let app: RunningApp;
let png: Buffer;
let imageServer: Server;
let imageUrl: string;

beforeAll(async () => {
  png = await sharp({ create: { width: 96, height: 96, channels: 3, background: '#d02020' } })
    .png()
    .toBuffer();
  imageServer = createServer((req, res) => {
    if (req.url === '/cat.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    if (req.url === '/to-metadata')
      return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/to-loopback')
      return res.writeHead(302, { location: 'http://127.0.0.1:9/cat.png' }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => imageServer.listen(0, '127.0.0.1', r));
  const port = (imageServer.address() as AddressInfo).port;
  imageUrl = `http://127.0.0.1:${port}`;
  app = await startReadyApp({ URL_ALLOW_HOSTS: `127.0.0.1:${port}`, MAX_UPLOAD_BYTES: '300000' });
});
afterAll(async () => {
  await app?.stop();
  imageServer?.close();
});

const CLASSIFY = `query($image: ImageInput!, $labels: [String!]!) {
  classify(image: $image, labels: $labels) { label probability similarity } }`;
const LABELS = ['a red square', 'a blue circle', 'a green star'];

describe('image inputs', () => {
  it('accepts base64, a data URL, an upload, a stored asset and an allowed URL, all giving the same answer', async () => {
    const viaBase64 = await gql(app.url, CLASSIFY, {
      image: { base64: png.toString('base64') },
      labels: LABELS,
    });
    expect(viaBase64.errors).toBeUndefined();
    const expected = viaBase64.data!['classify'];
    const viaDataUrl = await gql(app.url, CLASSIFY, {
      image: { base64: `data:image/png;base64,${png.toString('base64')}` },
      labels: LABELS,
    });
    const viaUpload = await gqlUpload(
      app.url,
      CLASSIFY,
      { image: { upload: null }, labels: LABELS },
      { 'variables.image.upload': png },
    );
    const stored = await fetchJson(`${app.url}/assets`, png);
    const viaAsset = await gql(app.url, CLASSIFY, { image: { assetId: stored['id'] }, labels: LABELS });
    const viaUrl = await gql(app.url, CLASSIFY, { image: { url: `${imageUrl}/cat.png` }, labels: LABELS });
    for (const response of [viaDataUrl, viaUpload, viaAsset, viaUrl]) {
      expect(response.errors).toBeUndefined();
      expect(response.data!['classify']).toEqual(expected);
    }
    const labels = (expected as { label: string; probability: number }[]).map((l) => l.label);
    expect(labels.sort()).toEqual([...LABELS].sort());
  });

  it('needs exactly one source', async () => {
    const both = await gql(app.url, CLASSIFY, {
      image: { base64: 'AAAA', url: 'http://x/' },
      labels: LABELS,
    });
    expect(errorCode(both)).toBe('BAD_REQUEST');
    expect(both.errors![0]!.message).toBe(
      'an image needs exactly one of assetId, base64, url, upload (got 2)',
    );
    expect(errorCode(await gql(app.url, CLASSIFY, { image: {}, labels: LABELS }))).toBe('BAD_REQUEST');
  });

  it.each([
    ['loopback', 'http://127.0.0.1:9/cat.png'],
    ['localhost', 'http://localhost:9/cat.png'],
    ['a private range', 'http://10.0.0.1/cat.png'],
    ['the metadata address', 'http://169.254.169.254/latest/meta-data/'],
    ['a redirect to the metadata address', '/to-metadata'],
    ['a redirect to a loopback port that is not allowed', '/to-loopback'],
    ['a non-http scheme', 'file:///etc/passwd'],
  ])('refuses to fetch %s (SSRF)', async (_what, target) => {
    const url = target.startsWith('/') ? imageUrl + target : target;
    const response = await gql(app.url, CLASSIFY, { image: { url }, labels: LABELS });
    expect(errorCode(response)).toBe('URL_NOT_ALLOWED');
  });

  it('names a missing asset, a non-image, and an image over the upload limit', async () => {
    const missing = await gql(app.url, CLASSIFY, { image: { assetId: 'f'.repeat(64) }, labels: LABELS });
    expect([errorCode(missing), missing.errors![0]!.message]).toEqual([
      'NOT_FOUND',
      `no asset ${'f'.repeat(64)}`,
    ]);
    const text = await gql(app.url, CLASSIFY, {
      image: { base64: Buffer.from('not an image').toString('base64') },
      labels: LABELS,
    });
    expect(errorCode(text)).toBe('BAD_IMAGE');
    const big = Buffer.alloc(400_000, 1).toString('base64');
    const tooLarge = await gql(app.url, CLASSIFY, { image: { base64: big }, labels: LABELS });
    expect(errorCode(tooLarge)).toBe('IMAGE_TOO_LARGE');
    const upload = await gqlUpload(
      app.url,
      CLASSIFY,
      { image: { upload: null }, labels: LABELS },
      {
        'variables.image.upload': Buffer.alloc(400_000, 1),
      },
    );
    expect(errorCode(upload)).toBe('IMAGE_TOO_LARGE');
    const gone = await gql(app.url, CLASSIFY, { image: { url: `${imageUrl}/missing.png` }, labels: LABELS });
    expect([errorCode(gone), gone.errors![0]!.message]).toEqual([
      'URL_FETCH_FAILED',
      expect.stringContaining('answered HTTP 404'),
    ]);
    const loop = await gql(app.url, CLASSIFY, { image: { url: `${imageUrl}/loop` }, labels: LABELS });
    expect([errorCode(loop), loop.errors![0]!.message]).toEqual([
      'URL_FETCH_FAILED',
      expect.stringContaining('redirects'),
    ]);
    // The service is unharmed.
    expect(
      (await gql(app.url, CLASSIFY, { image: { base64: png.toString('base64') }, labels: LABELS })).errors,
    ).toBeUndefined();
  });
});

describe('captions, moderation and retrieval', () => {
  it('scores captions with CLIPScore, and RefCLIPScore where references are given', async () => {
    const response = await gql(
      app.url,
      `mutation($input: ScoreCaptionsInput!) { scoreCaptions(input: $input) { caption similarity clipScore refClipScore } }`,
      {
        input: {
          items: [
            { image: { base64: png.toString('base64') }, caption: 'a red square' },
            {
              image: { base64: png.toString('base64') },
              caption: 'a red square',
              references: ['a red square on a red background'],
            },
          ],
        },
      },
    );
    expect(response.errors).toBeUndefined();
    const [plain, referenced] = response.data!['scoreCaptions'] as Record<string, number | null>[];
    expect(plain!['clipScore']).toBeCloseTo(2.5 * Math.max(plain!['similarity']!, 0), 6);
    expect(plain!['refClipScore']).toBeNull();
    expect(typeof referenced!['refClipScore']).toBe('number');
  });

  it('records captions on a stored asset when asked, and the asset lists them with their scores', async () => {
    const stored = await fetchJson(`${app.url}/assets`, png);
    const image = { assetId: stored['id'] };
    const score = (caption: string, store: boolean) =>
      gql(app.url, `mutation($input: ScoreCaptionsInput!) { scoreCaptions(input: $input) { clipScore } }`, {
        input: { items: [{ image, caption, references: ['a red square'] }], store },
      });
    const kept = await score('a red square', true);
    expect(kept.errors).toBeUndefined();
    expect((await score('a blue circle', false)).errors).toBeUndefined();
    const asset = await gql(
      app.url,
      `query($id: ID!) { asset(id: $id) { captions { caption clipScore refClipScore createdAt } } }`,
      { id: stored['id'] },
    );
    expect(asset.errors).toBeUndefined();
    const captions = (asset.data!['asset'] as { captions: Record<string, unknown>[] }).captions;
    expect(captions).toEqual([
      {
        caption: 'a red square',
        clipScore: (kept.data!['scoreCaptions'] as { clipScore: number }[])[0]!.clipScore,
        refClipScore: expect.any(Number),
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      },
    ]);
  });

  it('ranks captions best first', async () => {
    const response = await gql(
      app.url,
      `query($image: ImageInput!, $captions: [String!]!) { rankCaptions(image: $image, captions: $captions) { caption similarity probability } }`,
      { image: { base64: png.toString('base64') }, captions: LABELS },
    );
    const ranked = response.data!['rankCaptions'] as { similarity: number; probability: number }[];
    expect(ranked).toHaveLength(3);
    expect(ranked[0]!.similarity).toBeGreaterThanOrEqual(ranked[1]!.similarity);
    expect(ranked.reduce((s, r) => s + r.probability, 0)).toBeCloseTo(1, 6);
  });

  it('moderates with regions in input pixels and a stored heat map', async () => {
    const response = await gql(
      app.url,
      `mutation($image: ImageInput!, $policy: ModerationPolicyInput!) {
        moderate(image: $image, policy: $policy) {
          flagged heatmapRule rules { name score flagged threshold regions { x y width height score } } heatmap { id url mime width height } } }`,
      {
        image: { base64: png.toString('base64') },
        policy: {
          rules: [
            { name: 'red', description: 'a red square', threshold: 0 },
            { name: 'never', description: 'a cat', threshold: 1 },
          ],
        },
      },
    );
    expect(response.errors).toBeUndefined();
    const result = response.data!['moderate'] as {
      flagged: boolean;
      rules: {
        name: string;
        flagged: boolean;
        regions: { x: number; y: number; width: number; height: number }[];
      }[];
      heatmap: { url: string; mime: string };
    };
    expect(result.flagged).toBe(true);
    expect(result.rules.map((r) => [r.name, r.flagged])).toEqual([
      ['red', true],
      ['never', false],
    ]);
    for (const region of result.rules.flatMap((r) => r.regions)) {
      expect(region.x + region.width).toBeLessThanOrEqual(96);
      expect(region.y + region.height).toBeLessThanOrEqual(96);
    }
    const heatmap = await fetch(app.url + result.heatmap.url);
    expect([heatmap.status, heatmap.headers.get('content-type'), result.heatmap.mime]).toEqual([
      200,
      'image/png',
      'image/png',
    ]);
  });

  it('captions by retrieval from the corpus and finds stored assets by text and by image', async () => {
    const captions = await gql(
      app.url,
      `query($image: ImageInput!) { captionByRetrieval(image: $image, k: 3) { captions { caption score } } }`,
      { image: { base64: png.toString('base64') } },
    );
    expect(captions.errors).toBeUndefined();
    const hits = (captions.data!['captionByRetrieval'] as { captions: { caption: string; score: number }[] })
      .captions;
    expect(hits).toHaveLength(3);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
    const generated = await gql(
      app.url,
      `mutation { generate(input: { prompt: "a blue circle", count: 2, seed: 5, width: 64, height: 64 }) { candidates { asset { id } } } }`,
    );
    const ids = (generated.data!['generate'] as { candidates: { asset: { id: string } }[] }).candidates.map(
      (c) => c.asset.id,
    );
    const byImage = await gql(
      app.url,
      `query($image: ImageInput!) { searchAssets(image: $image, k: 1) { hits { score asset { id } } } }`,
      { image: { assetId: ids[0] } },
    );
    expect(byImage.data!['searchAssets']).toEqual({
      hits: [{ score: expect.closeTo(1, 4), asset: { id: ids[0] } }],
    });
    const byText = await gql(
      app.url,
      `{ searchAssets(text: "a blue circle", k: 5) { hits { score asset { id } } } }`,
    );
    expect((byText.data!['searchAssets'] as { hits: unknown[] }).hits.length).toBeGreaterThanOrEqual(2);
    const neither = await gql(app.url, `{ searchAssets(k: 5) { hits { score } } }`);
    expect(errorCode(neither)).toBe('BAD_REQUEST');
  });
});

async function fetchJson(url: string, bytes: Buffer): Promise<Record<string, unknown>> {
  const form = new FormData();
  form.set('file', new Blob([bytes], { type: 'image/png' }), 'cat.png');
  const response = await fetch(url, { method: 'POST', body: form });
  expect(response.status).toBe(201);
  return (await response.json()) as Record<string, unknown>;
}
