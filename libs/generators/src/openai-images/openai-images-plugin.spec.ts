import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationRequest, ImageGenerator, SourceImage } from '../contract.js';
import { GeneratorConfigError } from '../errors.js';
import { expectSecretFree, rejection } from '../test-support/error-checks.js';
import { startFakeOpenAI } from '../test-support/fake-openai.js';
import { type FakeUpstream, jsonReply } from '../test-support/fake-upstream.js';
import { describeHttpFaults } from '../test-support/http-fault-suite.js';
import { routedFetch } from '../test-support/routed-fetch.js';
import { solidImage } from '../test-support/test-images.js';
import { openaiImagesPlugin } from './openai-images-plugin.js';

/** clipsmith's mask convention: a greyscale PNG, white (repaint) on the left half. */
async function leftHalfMask(width: number, height: number): Promise<SourceImage> {
  const grey = Buffer.alloc(width * height);
  for (let y = 0; y < height; y++) grey.fill(255, y * width, y * width + width / 2);
  const bytes = await sharp(grey, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
  return { bytes, mimeType: 'image/png', width, height };
}

const API_KEY = 'sk-fakeKeyThatMustNeverBeEchoed';
const GENERATIONS = '/v1/images/generations';

let fake: FakeUpstream;
let source: SourceImage;

beforeAll(async () => {
  fake = await startFakeOpenAI({ apiKey: API_KEY });
  const png = await solidImage('png', 3);
  source = { bytes: png.bytes, mimeType: png.mimeType, width: 64, height: 64 };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function create(
  options: Record<string, unknown> = {},
  env: Record<string, string> = {},
  upstream = fake,
): ImageGenerator {
  const base = {
    baseUrl: `${upstream.url}/v1`,
    apiKey: API_KEY,
    model: 'gpt-image-1',
    retries: 2,
    retryBaseDelayMs: 5,
  };
  return openaiImagesPlugin.create('oai', { ...base, ...options }, { env, fetch: routedFetch() });
}

const context = () => ({ signal: new AbortController().signal });
const REQUEST: GenerationRequest = { prompt: 'a watercolour fox', count: 2, width: 1024, height: 1024 };
const sentJson = (i = 0) => JSON.parse(fake.requests[i]!.body.toString()) as Record<string, unknown>;

describe('openai-images plugin', () => {
  it('generates with the documented configuration, sending no response_format to gpt-image-1', async () => {
    const generator = openaiImagesPlugin.create(
      'oai',
      { baseUrl: `${fake.url}/v1`, apiKey: API_KEY, model: 'gpt-image-1' },
      { env: {}, fetch: routedFetch() },
    );
    const request = { ...REQUEST, width: 1024, height: 1536, parameters: { quality: 'low' } };
    const images = await generator.generate(request, context());
    const parameters = { quality: 'low', n: 2, size: '1024x1536' };
    expect(images).toEqual(
      [0, 1].map((i) => ({
        bytes: new Uint8Array(fake.images[i]!.bytes),
        mimeType: 'image/png',
        seed: null,
        parameters,
        model: 'gpt-image-1',
      })),
    );
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: GENERATIONS });
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(sentJson()).toEqual({ ...parameters, model: 'gpt-image-1', prompt: request.prompt });
  });

  it('asks the DALL·E models for base64', async () => {
    const [image] = await create({ model: 'dall-e-2' }).generate(
      { ...REQUEST, width: 512, height: 512 },
      context(),
    );
    expect(sentJson()).toMatchObject({ model: 'dall-e-2', response_format: 'b64_json', size: '512x512' });
    expect(Buffer.from(image!.bytes)).toEqual(fake.images[0]!.bytes);
  });

  it('reports the format gpt-image-1 says it encoded', async () => {
    const request = { ...REQUEST, count: 1, parameters: { output_format: 'jpeg' } };
    const [image] = await create().generate(request, context());
    expect(image!.mimeType).toBe('image/jpeg');
  });

  it('downloads items answered by URL, without the API key, as the content type they claim', async () => {
    const clone = await startFakeOpenAI({ apiKey: API_KEY, answer: 'url' });
    try {
      clone.fail('/files/1', { contentType: 'image/webp' });
      const images = await create({ model: 'dall-e-2' }, {}, clone).generate(REQUEST, context());
      expect(images.map((i) => Buffer.from(i.bytes))).toEqual([
        clone.images[0]!.bytes,
        clone.images[1]!.bytes,
      ]);
      expect(images.map((i) => i.mimeType)).toEqual(['image/png', 'image/webp']);
      const downloads = clone.requests.filter((r) => r.path.startsWith('/files/'));
      expect(downloads.map((r) => [r.method, r.headers.authorization])).toEqual([
        ['GET', undefined],
        ['GET', undefined],
      ]);
    } finally {
      await clone.close();
    }
  });

  it('edits: posts the source image and fields as multipart/form-data', async () => {
    const request = { ...REQUEST, count: 1, image: source };
    const [image] = await create().generate(request, context());
    expect(image).toMatchObject({
      seed: null,
      model: 'gpt-image-1',
      parameters: { n: 1, size: '1024x1024' },
    });
    const sent = fake.requests[0]!;
    expect(sent.path).toBe('/v1/images/edits');
    const form = await new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': sent.headers['content-type']! },
      body: sent.body,
    }).formData();
    const file = form.get('image') as File;
    expect(file.type).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(source.bytes);
    expect(Object.fromEntries([...form].filter(([key]) => key !== 'image'))).toEqual({
      prompt: request.prompt,
      model: 'gpt-image-1',
      n: '1',
      size: '1024x1024',
    });
  });

  it('inpaints: sends the mask as a PNG transparent where clipsmith’s mask is white', async () => {
    const mask = await leftHalfMask(64, 64);
    await create().generate({ ...REQUEST, count: 1, image: source, mask }, context());
    const sent = fake.requests[0]!;
    const form = await new Request('http://x/', {
      method: 'POST',
      headers: { 'content-type': sent.headers['content-type']! },
      body: sent.body,
    }).formData();
    const file = form.get('mask') as File;
    expect(file.type).toBe('image/png');
    const { data, info } = await sharp(Buffer.from(await file.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info).toMatchObject({ width: 64, height: 64, channels: 4 });
    const alpha = (x: number, y: number) => data[(y * 64 + x) * 4 + 3];
    expect([alpha(5, 5), alpha(31, 40), alpha(32, 5), alpha(60, 60)]).toEqual([0, 0, 255, 255]);
  });

  it('declares what each model documents', () => {
    expect(create().capabilities).toEqual({
      textToImage: true,
      imageToImage: true,
      sizes: { minWidth: 1024, maxWidth: 1536, minHeight: 1024, maxHeight: 1536, multipleOf: 512 },
      maxImagesPerCall: 4,
      seed: false,
      negativePrompt: false,
      inpainting: true,
    });
    expect(create({ model: 'dall-e-3' }).capabilities).toMatchObject({
      imageToImage: false,
      inpainting: false,
      maxImagesPerCall: 1,
      sizes: { minWidth: 1024, maxWidth: 1792, multipleOf: 256 },
    });
    const clone = create({ model: 'flux-dev', sizes: ['768x768', '512x512'], maxImagesPerCall: 2 });
    expect(clone.capabilities).toMatchObject({
      maxImagesPerCall: 2,
      sizes: { minWidth: 512, maxWidth: 768, minHeight: 512, maxHeight: 768, multipleOf: 256 },
    });
  });

  it('refuses a size the model does not make, naming those it does, without calling the API', async () => {
    const error = await rejection(create().generate({ ...REQUEST, width: 512, height: 512 }, context()));
    expect(error.code).toBe('BAD_REQUEST');
    expect(error.message).toContain('1024x1024, 1536x1024, 1024x1536');
    expect(fake.requests).toEqual([]);
  });

  it('takes the key from OPENAI_API_KEY when options.apiKey is absent', async () => {
    await create({ apiKey: undefined }, { OPENAI_API_KEY: API_KEY }).generate(REQUEST, context());
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
  });

  it('fails with BAD_RESPONSE on an HTML page or JSON without images', async () => {
    fake.fail(GENERATIONS, {
      reply: { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>' },
    });
    const html = await rejection(create().generate(REQUEST, context()));
    expect(html).toMatchObject({ code: 'BAD_RESPONSE', message: 'oai: expected JSON, got text/html' });
    fake.fail(GENERATIONS, { reply: jsonReply(200, { created: 1, data: [] }) });
    const empty = await rejection(create().generate(REQUEST, context()));
    expect(empty.code).toBe('BAD_RESPONSE');
  });

  it('answers a wrong key with UNAUTHENTICATED, keeping the key out of the error', async () => {
    const wrongKey = 'sk-anotherKeyThatIsAlsoSecret';
    const error = await rejection(create({ apiKey: wrongKey }).generate(REQUEST, context()));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    expectSecretFree(error, wrongKey);
  });

  it.each([
    [{ apiKey: undefined }, 'generator "oai": options.apiKey is required (or set OPENAI_API_KEY)'],
    [{ baseUrl: 'not a url' }, 'options.baseUrl must be an http(s) URL'],
    [{ maxImagesPerCall: 11 }, 'options.maxImagesPerCall must be an integer from 1 to 10'],
    [{ model: 'dall-e-3', maxImagesPerCall: 2 }, 'options.maxImagesPerCall must be an integer from 1 to 1'],
    [{ sizes: ['big'] }, 'options.sizes must be sizes written WIDTHxHEIGHT'],
    [{ sizes: '1024x1024' }, 'options.sizes must be a non-empty list of strings'],
    [{ edits: 'yes' }, 'options.edits must be true or false'],
    [{ timeoutMs: 10 }, 'options.timeoutMs must be a number from 1000 to 600000'],
    [{ api_key: 'x' }, 'options.api_key is not an option of this generator'],
  ])('refuses options %j, naming the key', (options, message) => {
    expect(() => create(options)).toThrow(GeneratorConfigError);
    expect(() => create(options)).toThrow(message);
  });

  describeHttpFaults({ fake: () => fake, path: GENERATIONS, secret: API_KEY, create, request: REQUEST });
});
