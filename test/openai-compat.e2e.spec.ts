import OpenAI, { APIError, toFile } from 'openai';
import type { ImageGenerateParamsNonStreaming as ImageGenerateParams } from 'openai/resources/images';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, startReadyApp } from './support/app-process.js';
import { gql } from './support/graphql-client.js';

/** OpenAI's official client, pointed at clipsmith: the only change an existing app makes. */
const clientOf = (url: string, apiKey = 'unused'): OpenAI =>
  new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });

/** clipsmith's fields beyond OpenAI's typed ones. */
type WithClipsmith<T> = T & { best_of?: number; seed?: number };
const generateParams = (params: WithClipsmith<Partial<ImageGenerateParams>>): ImageGenerateParams =>
  params as ImageGenerateParams;

interface Clipsmith {
  rank?: number;
  similarity?: number;
  asset_id: string;
  accepted?: boolean;
  directional_similarity?: number;
  preservation?: number;
  operations?: unknown[];
  image_index?: number;
}
const clipsmithOf = (item: object): Clipsmith => (item as { clipsmith: Clipsmith }).clipsmith;

/** Rejects with the APIError the client raised. */
async function apiError(promise: Promise<unknown>): Promise<APIError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

let app: RunningApp;
let secured: RunningApp;
let red: Buffer;
/** Left half transparent (editable), right half opaque (kept). */
let leftHalfMask: Buffer;

beforeAll(async () => {
  red = await sharp({ create: { width: 128, height: 128, channels: 3, background: '#d02020' } })
    .png()
    .toBuffer();
  const rgba = Buffer.alloc(128 * 128 * 4, 255);
  for (let y = 0; y < 128; y++) for (let x = 0; x < 64; x++) rgba[(y * 128 + x) * 4 + 3] = 0;
  leftHalfMask = await sharp(rgba, { raw: { width: 128, height: 128, channels: 4 } })
    .png()
    .toBuffer();
  [app, secured] = await Promise.all([
    startReadyApp({ MAX_UPLOAD_FILES: '3', MAX_UPLOAD_BYTES: '200000', MAX_IMAGE_PIXELS: '1000000' }),
    startReadyApp({ API_KEYS: 'right-key', QUEUE_MAX_ITEMS: '2', MAX_CANDIDATES: '4' }),
  ]);
});
afterAll(async () => {
  await Promise.all([app?.stop(), secured?.stop()]);
});

describe('POST /v1/images/generations through the openai client', () => {
  it('answers n images as b64_json: the best n of n × best_of candidates, ranked by CLIP', async () => {
    const prompt = 'a green star on a yellow background';
    const answer = await clientOf(app.url).images.generate(
      generateParams({ prompt, n: 2, best_of: 4, size: '256x256', response_format: 'b64_json' }),
    );
    expect(answer.created).toBeGreaterThan(Date.now() / 1000 - 600);
    expect(answer.data).toHaveLength(2);
    for (const item of answer.data!) {
      const png = Buffer.from(item.b64_json!, 'base64');
      expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 256, height: 256 });
      const stored = await fetch(`${app.url}/assets/${clipsmithOf(item).asset_id}`);
      expect(Buffer.from(await stored.arrayBuffer()).equals(png)).toBe(true);
    }
    expect(answer.data!.map((d) => clipsmithOf(d).rank)).toEqual([1, 2]);
    // Every candidate was stored with its score: the two answered are the two best of the eight made.
    const all = await gql<{ assets: { edges: { node: { id: string; scores: { similarity: number } } }[] } }>(
      app.url,
      `{ assets(filter: { promptContains: "green star" }, first: 50) { edges { node { id scores } } } }`,
    );
    const bySimilarity = all
      .data!.assets.edges.map((e) => e.node)
      .sort((a, b) => b.scores.similarity - a.scores.similarity);
    expect(bySimilarity).toHaveLength(8);
    expect(answer.data!.map((d) => clipsmithOf(d).asset_id)).toEqual(
      bySimilarity.slice(0, 2).map((a) => a.id),
    );
  });

  it('answers absolute URLs to the stored images by default', async () => {
    const answer = await clientOf(app.url).images.generate({
      prompt: 'a blue circle on a white background',
      n: 2,
      size: '256x256',
    });
    expect(answer.data).toHaveLength(2);
    for (const item of answer.data!) {
      expect(item.b64_json).toBeUndefined();
      expect(item.url).toBe(`${app.url}/assets/${clipsmithOf(item).asset_id}`);
      const response = await fetch(item.url!);
      expect(response.headers.get('content-type')).toBe('image/png');
      expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(256);
    }
  });

  it('signs the URLs when the server has keys, so they load without one', async () => {
    const answer = await clientOf(secured.url, 'right-key').images.generate(
      generateParams({ prompt: 'a red square', best_of: 1, size: '64x64' }),
    );
    const url = answer.data![0]!.url!;
    expect(url).toMatch(new RegExp(`^${secured.url}/assets/[0-9a-f]{64}\\?expires=\\d+&sig=`));
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect((await sharp(Buffer.from(await response.arrayBuffer())).metadata()).width).toBe(64);
  });
});

describe('POST /v1/images/edits through the openai client', () => {
  const pixels = async (b64: string) =>
    sharp(Buffer.from(b64, 'base64')).removeAlpha().raw().toBuffer({ resolveWithObject: true });

  it('edits the image toward the prompt, verified by CLIP', async () => {
    const answer = await clientOf(app.url).images.edit({
      image: await toFile(red, 'red.png', { type: 'image/png' }),
      prompt: 'make it blue',
      response_format: 'b64_json',
    });
    expect(answer.data).toHaveLength(1);
    const item = answer.data![0]!;
    const { info } = await pixels(item.b64_json!);
    expect([info.width, info.height]).toEqual([128, 128]);
    expect(clipsmithOf(item)).toMatchObject({ accepted: expect.any(Boolean) });
    expect(clipsmithOf(item).operations!.length).toBeGreaterThan(0);
  });

  it('changes only the mask’s transparent part', async () => {
    const answer = await clientOf(app.url).images.edit({
      image: await toFile(red, 'red.png', { type: 'image/png' }),
      mask: await toFile(leftHalfMask, 'mask.png', { type: 'image/png' }),
      prompt: 'make it blue',
      response_format: 'b64_json',
    });
    const { data } = await pixels(answer.data![0]!.b64_json!);
    const at = (x: number, y: number) => [...data.subarray((y * 128 + x) * 3, (y * 128 + x) * 3 + 3)];
    const changed = (rgb: number[]) => Math.max(...rgb.map((v, i) => Math.abs(v - [0xd0, 0x20, 0x20][i]!)));
    expect(changed(at(10, 64))).toBeGreaterThan(40); // transparent in the mask: edited
    expect(changed(at(120, 64))).toBeLessThanOrEqual(2); // opaque in the mask: kept
  });

  it('answers n different edits of the image, each with its own scores, true to its stored asset', async () => {
    const answer = await clientOf(app.url).images.edit({
      image: await toFile(red, 'red.png', { type: 'image/png' }),
      prompt: 'make it blue',
      n: 2,
      response_format: 'b64_json',
    });
    expect(answer.data).toHaveLength(2);
    const [first, second] = answer.data!.map(clipsmithOf);
    expect([first!.rank, second!.rank, first!.image_index, second!.image_index]).toEqual([1, 2, 0, 0]);
    expect(first!.operations).not.toEqual(second!.operations);
    const [a, b] = await Promise.all(answer.data!.map((d) => pixels(d.b64_json!)));
    expect(a!.data.equals(b!.data)).toBe(false);
    for (const item of answer.data!) {
      const details = clipsmithOf(item);
      expect(details).toMatchObject({
        accepted: expect.any(Boolean),
        directional_similarity: expect.any(Number),
        preservation: expect.any(Number),
      });
      expect(details.operations!.length).toBeGreaterThan(0);
      const stored = await gql<{
        asset: { scores: Record<string, number>; parameters: { operations: unknown } };
      }>(app.url, `query($id: ID!) { asset(id: $id) { scores parameters } }`, { id: details.asset_id });
      expect(stored.data!.asset).toMatchObject({
        scores: { directionalSimilarity: details.directional_similarity, preservation: details.preservation },
        parameters: { operations: details.operations },
      });
      const bytes = await fetch(`${app.url}/assets/${details.asset_id}`);
      expect(Buffer.from(await bytes.arrayBuffer()).equals(Buffer.from(item.b64_json!, 'base64'))).toBe(true);
    }
  });

  it('brings the edit to the size asked', async () => {
    const answer = await clientOf(app.url).images.edit({
      image: await toFile(red, 'red.png', { type: 'image/png' }),
      prompt: 'make it blue',
      size: '256x256',
      response_format: 'b64_json',
    });
    const png = Buffer.from(answer.data![0]!.b64_json!, 'base64');
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 256, height: 256 });
  });

  it('edits each of several images (image[])', async () => {
    const answer = await clientOf(app.url).images.edit({
      image: [
        await toFile(red, 'a.png', { type: 'image/png' }),
        await toFile(red, 'b.png', { type: 'image/png' }),
      ],
      prompt: 'make it blue',
    });
    expect(answer.data).toHaveLength(2);
    for (const item of answer.data!) expect(item.url).toMatch(new RegExp(`^${app.url}/assets/[0-9a-f]{64}$`));
  });
});

describe('GET /v1/models', () => {
  it('lists clipsmith and the configured generators', async () => {
    const ids = [];
    for await (const model of clientOf(app.url).models.list()) ids.push(model.id);
    expect(ids).toEqual(['clipsmith', 'procedural']);
    expect(await clientOf(app.url).models.retrieve('procedural')).toMatchObject({ object: 'model' });
  });
});

describe('errors, as the openai client surfaces them', () => {
  it('401 for a key the server does not know, and the same routes with the right one', async () => {
    const error = await apiError(clientOf(secured.url, 'wrong-key').models.list());
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', type: 'authentication_error' });
    const models = await clientOf(secured.url, 'right-key').models.list();
    expect(models.data.map((m) => m.id)).toContain('clipsmith');
  });

  it('400 for a size that is not WxH, naming the parameter, on both image routes', async () => {
    const error = await apiError(
      clientOf(app.url).images.generate(generateParams({ prompt: 'a red square', size: 'big' })),
    );
    expect(error).toMatchObject({ status: 400, code: 'BAD_REQUEST', param: 'size' });
    const editing = await apiError(
      clientOf(app.url).images.edit({
        image: await toFile(red, 'red.png', { type: 'image/png' }),
        prompt: 'make it blue',
        size: '256' as '256x256',
      }),
    );
    expect(editing).toMatchObject({ status: 400, code: 'BAD_REQUEST', param: 'size' });
    expect(editing.message).toMatch(/WIDTHxHEIGHT/);
  });

  it('404 for a model that is not configured', async () => {
    const error = await apiError(
      clientOf(app.url).images.generate({ prompt: 'a red square', model: 'dall-e-3' }),
    );
    expect(error).toMatchObject({ status: 404, code: 'NOT_FOUND', param: 'model' });
    expect(error.message).toMatch(/GET \/v1\/models/);
  });

  it('400 for too many images: n above 10, and more files than MAX_UPLOAD_FILES', async () => {
    const tooMany = await apiError(clientOf(app.url).images.generate({ prompt: 'a red square', n: 11 }));
    expect(tooMany).toMatchObject({ status: 400, code: 'BAD_REQUEST', param: 'n' });
    const files = await Promise.all([1, 2, 3, 4].map((i) => toFile(red, `${i}.png`, { type: 'image/png' })));
    const tooManyFiles = await apiError(
      clientOf(app.url).images.edit({ image: files, prompt: 'make it blue' }),
    );
    expect(tooManyFiles).toMatchObject({ status: 400, code: 'TOO_MANY_ITEMS', param: 'image' });
  });

  it('400 for more candidates than MAX_CANDIDATES, and more edits of an image', async () => {
    const error = await apiError(
      clientOf(app.url).images.generate(generateParams({ prompt: 'a red square', n: 5, best_of: 4 })),
    );
    expect(error).toMatchObject({ status: 400, code: 'TOO_MANY_ITEMS' });
    const edits = await apiError(
      clientOf(secured.url, 'right-key').images.edit({
        image: await toFile(red, 'red.png', { type: 'image/png' }),
        prompt: 'make it blue',
        n: 5,
      }),
    );
    expect(edits).toMatchObject({ status: 400, code: 'TOO_MANY_ITEMS', param: 'n' });
    expect(edits.message).toMatch(/at most 4 .*MAX_CANDIDATES/);
  });

  it('400 for a prompt over MAX_PROMPT_LENGTH, on both image routes', async () => {
    const prompt = 'a red square '.repeat(200);
    const generating = await apiError(clientOf(app.url).images.generate({ prompt }));
    expect(generating).toMatchObject({ status: 400, code: 'PROMPT_TOO_LONG', param: 'prompt' });
    const editing = await apiError(
      clientOf(app.url).images.edit({ image: await toFile(red, 'red.png'), prompt }),
    );
    expect(editing).toMatchObject({ status: 400, code: 'PROMPT_TOO_LONG', param: 'prompt' });
    expect(editing.message).toMatch(/^400 prompt has \d+ characters/);
  });

  it('413 for an image over MAX_UPLOAD_BYTES or MAX_IMAGE_PIXELS, and a size over MAX_IMAGE_PIXELS', async () => {
    const big = await toFile(Buffer.alloc(250_000), 'big.png', { type: 'image/png' });
    const upload = await apiError(clientOf(app.url).images.edit({ image: big, prompt: 'make it blue' }));
    expect(upload).toMatchObject({ status: 413, code: 'IMAGE_TOO_LARGE' });
    const size = await apiError(
      clientOf(app.url).images.generate(generateParams({ prompt: 'a red square', size: '2048x2048' })),
    );
    expect(size).toMatchObject({ status: 413, code: 'IMAGE_TOO_LARGE', param: 'size' });
    // Few bytes, too many pixels: refused from the header, before anything is decoded or stored.
    const wide = await sharp({ create: { width: 1100, height: 1000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer();
    const pixels = await apiError(
      clientOf(app.url).images.edit({ image: await toFile(wide, 'wide.png'), prompt: 'make it blue' }),
    );
    expect(pixels).toMatchObject({ status: 413, code: 'IMAGE_TOO_LARGE' });
  });

  it("answers what fails before a route in OpenAI's shape too: a body that is not JSON, an unknown route", async () => {
    const response = await fetch(`${app.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{ "prompt": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'BAD_REQUEST', message: expect.any(String) },
    });
    const chat = await apiError(
      clientOf(app.url).chat.completions.create({
        model: 'clipsmith',
        messages: [{ role: 'user', content: 'hi' }],
      }),
    );
    expect(chat).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('429 with Retry-After when the model queue is full', async () => {
    const error = await apiError(
      clientOf(secured.url, 'right-key').images.generate(
        generateParams({ prompt: 'a red square', n: 2, best_of: 2 }),
      ),
    );
    expect(error).toMatchObject({ status: 429, code: 'QUEUE_FULL', type: 'rate_limit_error' });
    expect(error.headers?.get('retry-after')).toBe('1');
  });
});
