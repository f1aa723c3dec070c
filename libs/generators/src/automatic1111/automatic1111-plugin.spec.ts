import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationRequest, ImageGenerator, SourceImage } from '../contract.js';
import { GeneratorConfigError } from '../errors.js';
import { expectSecretFree, rejection } from '../test-support/error-checks.js';
import { DRAWN_SEED, LOADED_CHECKPOINT, startFakeAutomatic1111 } from '../test-support/fake-automatic1111.js';
import { type FakeUpstream, jsonReply } from '../test-support/fake-upstream.js';
import { describeHttpFaults } from '../test-support/http-fault-suite.js';
import { routedFetch } from '../test-support/routed-fetch.js';
import { solidImage } from '../test-support/test-images.js';
import { automatic1111Plugin } from './automatic1111-plugin.js';

const USERNAME = 'clipsmith';
const PASSWORD = 'fakePasswordThatMustNeverBeEchoed';
const TXT2IMG = '/sdapi/v1/txt2img';

let fake: FakeUpstream;
let source: SourceImage;

beforeAll(async () => {
  fake = await startFakeAutomatic1111({ auth: { username: USERNAME, password: PASSWORD } });
  const jpeg = await solidImage('jpeg', 1, 96);
  source = { bytes: jpeg.bytes, mimeType: jpeg.mimeType, width: 96, height: 96 };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function create(options: Record<string, unknown> = {}): ImageGenerator {
  const base = { baseUrl: fake.url, username: USERNAME, password: PASSWORD, retries: 2, retryBaseDelayMs: 5 };
  return automatic1111Plugin.create('sd', { ...base, ...options }, { env: {}, fetch: routedFetch() });
}

const context = () => ({ signal: new AbortController().signal });
const REQUEST: GenerationRequest = { prompt: 'a lighthouse at dusk', count: 2, seed: 100 };
const sentJson = () => JSON.parse(fake.requests[0]!.body.toString()) as Record<string, unknown>;

describe('automatic1111 plugin', () => {
  it('generates a batch with the documented configuration, reporting each seed the web UI used', async () => {
    const open = await startFakeAutomatic1111();
    try {
      const generator = automatic1111Plugin.create(
        'sd',
        { baseUrl: open.url },
        { env: {}, fetch: routedFetch() },
      );
      const request: GenerationRequest = {
        ...REQUEST,
        count: 3,
        negativePrompt: 'fog',
        width: 512,
        height: 768,
        parameters: { steps: 20, cfg_scale: 7, sampler_name: 'Euler a' },
      };
      const images = await generator.generate(request, context());
      const parameters = {
        steps: 20,
        cfg_scale: 7,
        sampler_name: 'Euler a',
        negative_prompt: 'fog',
        width: 512,
        height: 768,
        seed: 100,
        batch_size: 3,
      };
      expect(images).toEqual(
        [0, 1, 2].map((i) => ({
          bytes: new Uint8Array(open.images[i]!.bytes),
          mimeType: 'image/png',
          seed: 100 + i,
          parameters,
          model: LOADED_CHECKPOINT,
        })),
      );
      const [sent] = open.requests;
      expect(open.requests).toHaveLength(1);
      expect(sent).toMatchObject({ method: 'POST', path: TXT2IMG });
      expect(sent!.headers.authorization).toBeUndefined();
      expect(JSON.parse(sent!.body.toString())).toEqual({ ...parameters, prompt: request.prompt });
    } finally {
      await open.close();
    }
  });

  it('sends seed -1 without a seed, and reports the seeds the web UI drew', async () => {
    const images = await create().generate({ ...REQUEST, seed: undefined }, context());
    expect(sentJson()['seed']).toBe(-1);
    expect(images.map((i) => i.seed)).toEqual([DRAWN_SEED, DRAWN_SEED + 1]);
  });

  it('img2img: sends the source as base64 with the strength, keeping its size by default', async () => {
    const [image] = await create().generate(
      { ...REQUEST, count: 1, image: source, strength: 0.4 },
      context(),
    );
    expect(fake.requests[0]!.path).toBe('/sdapi/v1/img2img');
    const sent = sentJson();
    expect(sent).toMatchObject({ denoising_strength: 0.4, width: 96, height: 96, batch_size: 1, seed: 100 });
    expect(sent['init_images']).toEqual([Buffer.from(source.bytes).toString('base64')]);
    expect(image).toMatchObject({ seed: 100, parameters: { denoising_strength: 0.4 } });
    expect(image!.parameters).not.toHaveProperty('init_images');
  });

  it('inpaints: sends clipsmith’s mask as is (white = repaint) with the original under it', async () => {
    const mask = { ...source, bytes: new Uint8Array([1, 2, 3]), mimeType: 'image/png' };
    await create().generate({ ...REQUEST, count: 1, image: source, mask }, context());
    const sent = sentJson();
    expect(sent['mask']).toBe(Buffer.from(mask.bytes).toString('base64'));
    expect(sent).toMatchObject({ inpainting_fill: 1, inpaint_full_res: false, mask_blur: 0 });
  });

  it('authenticates with basic auth, and keeps a refused password out of the error', async () => {
    await create().generate(REQUEST, context());
    const basic = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
    expect(fake.requests[0]!.headers.authorization).toBe(basic);

    const wrong = 'anotherPasswordThatIsSecret';
    const error = await rejection(create({ password: wrong }).generate(REQUEST, context()));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, retries: 0 });
    expectSecretFree(error, wrong);
    expectSecretFree(error, Buffer.from(`${USERNAME}:${wrong}`).toString('base64'));
  });

  it('asks for options.model as the checkpoint, and reports it', async () => {
    const [image] = await create({ model: 'sd_xl_base_1.0' }).generate(REQUEST, context());
    expect(sentJson()['override_settings']).toEqual({ sd_model_checkpoint: 'sd_xl_base_1.0' });
    expect(image!.model).toBe('sd_xl_base_1.0');
  });

  it('claims the format options.samplesFormat names', async () => {
    const [image] = await create({ samplesFormat: 'jpg' }).generate(REQUEST, context());
    expect(image!.mimeType).toBe('image/jpeg');
  });

  it('passes a 422 for a mistyped field on as BAD_REQUEST, unretried', async () => {
    const request = { ...REQUEST, parameters: { steps: 'twenty' } };
    const error = await rejection(create().generate(request, context()));
    expect(error).toMatchObject({ code: 'BAD_REQUEST', status: 422, retries: 0 });
    expect(error.message).toContain('steps: value is not a valid integer');
  });

  it('keeps the images when info is unreadable, with seeds unknown; fails when images are missing', async () => {
    const image = fake.images[0]!.bytes.toString('base64');
    fake.fail(TXT2IMG, {
      reply: jsonReply(200, { images: [image, image], parameters: {}, info: 'not json' }),
    });
    const images = await create().generate(REQUEST, context());
    expect(images.map((i) => [i.seed, i.model])).toEqual([
      [null, 'unknown'],
      [null, 'unknown'],
    ]);

    fake.fail(TXT2IMG, { reply: jsonReply(200, { images: [image], parameters: {}, info: '{}' }) });
    const error = await rejection(create().generate(REQUEST, context()));
    expect(error.code).toBe('BAD_RESPONSE');
  });

  it("fails with BAD_RESPONSE on a proxy's HTML page instead of JSON", async () => {
    fake.fail(TXT2IMG, {
      reply: { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<h1>502</h1>' },
    });
    const error = await rejection(create().generate(REQUEST, context()));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', message: 'sd: expected JSON, got text/html' });
  });

  it('declares the web UI bounds and options.maxImagesPerCall', () => {
    expect(create({ maxImagesPerCall: 8 }).capabilities).toEqual({
      textToImage: true,
      imageToImage: true,
      sizes: { minWidth: 64, maxWidth: 2048, minHeight: 64, maxHeight: 2048, multipleOf: 8 },
      maxImagesPerCall: 8,
      seed: true,
      negativePrompt: true,
      inpainting: true,
    });
  });

  it.each([
    [{ password: undefined }, 'generator "sd": options.password is required with the other'],
    [{ username: undefined }, 'options.username is required with the other'],
    [{ baseUrl: 'http://user:pw@127.0.0.1:7860' }, 'options.baseUrl must not carry credentials'],
    [{ samplesFormat: 'gif' }, 'options.samplesFormat must be one of png, jpg, webp'],
    [{ maxImagesPerCall: 0 }, 'options.maxImagesPerCall must be an integer from 1 to 16'],
    [{ retryBaseDelayMs: 'fast' }, 'options.retryBaseDelayMs must be a number from 0 to 60000'],
    [{ steps: 20 }, 'options.steps is not an option of this generator'],
  ])('refuses options %j, naming the key', (options, message) => {
    expect(() => create(options)).toThrow(GeneratorConfigError);
    expect(() => create(options)).toThrow(message);
  });

  describeHttpFaults({ fake: () => fake, path: TXT2IMG, secret: PASSWORD, create, request: REQUEST });
});
