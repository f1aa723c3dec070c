import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationRequest, ImageGenerator, SourceImage } from '../contract.js';
import { GeneratorConfigError } from '../errors.js';
import { expectSecretFree, rejection } from '../test-support/error-checks.js';
import { startFakeHuggingFace } from '../test-support/fake-huggingface.js';
import type { FakeUpstream } from '../test-support/fake-upstream.js';
import { describeHttpFaults } from '../test-support/http-fault-suite.js';
import { routedFetch } from '../test-support/routed-fetch.js';
import { solidImage } from '../test-support/test-images.js';
import { huggingfacePlugin } from './huggingface-plugin.js';

const TOKEN = 'hf_fakeTokenThatMustNeverBeEchoed';
const FLUX = 'black-forest-labs/FLUX.1-schnell';
const PIX2PIX = 'timbrooks/instruct-pix2pix';
/** Only the router test uses it: the client caches each model's provider mapping for the process. */
const ROUTED_ONLY = 'stabilityai/sdxl-turbo';

let fake: FakeUpstream;
let source: SourceImage;

beforeAll(async () => {
  fake = await startFakeHuggingFace({
    token: TOKEN,
    models: {
      [FLUX]: {
        task: 'text-to-image',
        providers: {
          'hf-inference': FLUX,
          together: 'black-forest-labs/FLUX.1-schnell-Free',
          replicate: 'black-forest-labs/flux-schnell',
        },
      },
      [ROUTED_ONLY]: { task: 'text-to-image', providers: { 'hf-inference': ROUTED_ONLY } },
      [PIX2PIX]: { task: 'image-to-image', providers: { 'hf-inference': PIX2PIX, together: 'fake/kontext' } },
    },
  });
  const png = await solidImage('png', 2);
  source = { bytes: png.bytes, mimeType: png.mimeType, width: 64, height: 64 };
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

/** The routed fetch sends the library's hard-wired huggingface.co URLs to the fake. */
function create(options: Record<string, unknown> = {}, env: Record<string, string> = {}): ImageGenerator {
  const fetch = routedFetch({
    'https://router.huggingface.co': fake.url,
    'https://huggingface.co': fake.url,
  });
  const base = {
    endpointUrl: `${fake.url}/endpoints/${FLUX}`,
    model: FLUX,
    token: TOKEN,
    retries: 2,
    retryBaseDelayMs: 5,
  };
  return huggingfacePlugin.create('hf', { ...base, ...options }, { env, fetch });
}

const context = () => ({ signal: new AbortController().signal });
const REQUEST: GenerationRequest = { prompt: 'a red cube on a table', count: 1, seed: 7 };

describe('huggingface plugin', () => {
  it('generates through an endpoint configured as documented, sending the task parameters', async () => {
    const generator = huggingfacePlugin.create(
      'hf',
      {
        model: FLUX,
        provider: 'hf-inference',
        endpointUrl: `${fake.url}/endpoints/${FLUX}`,
        token: TOKEN,
        timeoutMs: 60000,
      },
      { env: {}, fetch: routedFetch() },
    );
    const request: GenerationRequest = {
      ...REQUEST,
      negativePrompt: 'blurry',
      width: 512,
      height: 768,
      seed: 42,
      parameters: { num_inference_steps: 4, guidance_scale: 0 },
    };
    const [image, ...more] = await generator.generate(request, context());
    const parameters = {
      num_inference_steps: 4,
      guidance_scale: 0,
      negative_prompt: 'blurry',
      width: 512,
      height: 768,
      seed: 42,
    };
    expect(more).toEqual([]);
    expect(image).toEqual({
      bytes: new Uint8Array(fake.images[0]!.bytes),
      mimeType: 'image/jpeg',
      seed: 42,
      parameters,
      model: FLUX,
    });
    const [sent] = fake.requests;
    expect(fake.requests).toHaveLength(1);
    expect(sent).toMatchObject({ method: 'POST', path: `/endpoints/${FLUX}` });
    expect(sent!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(sent!.body.toString())).toEqual({ inputs: request.prompt, parameters });
  });

  it('declares one image per call and the one task it is configured for', () => {
    expect(create().capabilities).toMatchObject({
      textToImage: true,
      imageToImage: false,
      maxImagesPerCall: 1,
      seed: true,
      negativePrompt: true,
    });
    expect(create({ task: 'image-to-image' }).capabilities).toMatchObject({
      textToImage: false,
      imageToImage: true,
    });
  });

  it('looks the model up on the Hub, then calls the router, without an endpoint', async () => {
    const generator = create({ endpointUrl: undefined, model: ROUTED_ONLY, provider: 'hf-inference' });
    const [image] = await generator.generate(REQUEST, context());
    expect(image!.model).toBe(ROUTED_ONLY);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /api/models/${ROUTED_ONLY}`,
      `POST /hf-inference/models/${ROUTED_ONLY}`,
    ]);
    expect(fake.requests[0]!.query.getAll('expand[]')).toEqual(['inferenceProviderMapping']);
  });

  it('picks and reports a fresh seed when the request has none', async () => {
    const generator = create();
    const seeds: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const [image] = await generator.generate({ prompt: 'a cat', count: 1 }, context());
      const sent = JSON.parse(fake.requests[i]!.body.toString()) as { parameters: { seed: unknown } };
      expect(image!.seed).toBe(sent.parameters.seed);
      seeds.push(image!.seed);
    }
    expect(seeds.every(Number.isInteger)).toBe(true);
    expect(seeds[0]).not.toBe(seeds[1]);
  });

  it('takes the token from HF_TOKEN when options.token is absent', async () => {
    await create({ token: undefined }, { HF_TOKEN: TOKEN }).generate(REQUEST, context());
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('image-to-image: sends the source as base64 with prompt, strength and target size in parameters', async () => {
    const generator = create({
      endpointUrl: `${fake.url}/endpoints/${PIX2PIX}`,
      model: PIX2PIX,
      task: 'image-to-image',
    });
    const request = { ...REQUEST, image: source, strength: 0.6, width: 512, height: 512 };
    const [image] = await generator.generate(request, context());
    const parameters = {
      negative_prompt: undefined,
      target_size: { width: 512, height: 512 },
      strength: 0.6,
      seed: 7,
    };
    expect(image).toMatchObject({ seed: 7, parameters, model: PIX2PIX, mimeType: 'image/jpeg' });
    const body = JSON.parse(fake.requests[0]!.body.toString()) as { inputs: string; parameters: unknown };
    expect(Buffer.from(body.inputs, 'base64')).toEqual(source.bytes);
    expect(body.parameters).toEqual({ ...parameters, prompt: request.prompt });
  });

  it('together: asks for a URL and downloads the image through the same routed fetch', async () => {
    const generator = create({ endpointUrl: undefined, provider: 'together' });
    const request = { ...REQUEST, width: 1024, height: 768, parameters: { num_inference_steps: 4 } };
    const [image] = await generator.generate(request, context());
    expect(Buffer.from(image!.bytes)).toEqual(fake.images[0]!.bytes);
    expect(image!.mimeType).toBe('image/jpeg');
    const paths = fake.requests
      .filter((r) => !r.path.startsWith('/api/'))
      .map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(['POST /together/v1/images/generations', 'GET /files/0']);
    const body = JSON.parse(
      fake.requests.find((r) => r.path.startsWith('/together'))!.body.toString(),
    ) as object;
    expect(body).toMatchObject({
      model: 'black-forest-labs/FLUX.1-schnell-Free',
      prompt: request.prompt,
      response_format: 'url',
      width: 1024,
      height: 768,
      seed: 7,
      steps: 4,
    });
    // A presigned file URL gets no credentials.
    expect(fake.requests.find((r) => r.path === '/files/0')!.headers.authorization).toBeUndefined();
  });

  it('together image-to-image: sends the source as a data URL and decodes the base64 answer', async () => {
    const generator = create({
      endpointUrl: undefined,
      model: PIX2PIX,
      provider: 'together',
      task: 'image-to-image',
    });
    const [image] = await generator.generate({ ...REQUEST, image: source }, context());
    expect(Buffer.from(image!.bytes)).toEqual(fake.images[0]!.bytes);
    const body = JSON.parse(fake.requests.find((r) => r.path.startsWith('/together'))!.body.toString()) as {
      reference_images: string[];
    };
    expect(body.reference_images).toEqual([
      `data:image/png;base64,${Buffer.from(source.bytes).toString('base64')}`,
    ]);
  });

  it('replicate: waits for the prediction and downloads its output', async () => {
    const generator = create({ endpointUrl: undefined, provider: 'replicate' });
    const [image] = await generator.generate({ ...REQUEST, width: 512, height: 512 }, context());
    expect(Buffer.from(image!.bytes)).toEqual(fake.images[0]!.bytes);
    const prediction = fake.requests.find((r) => r.path.startsWith('/replicate'))!;
    expect(prediction.path).toBe('/replicate/v1/models/black-forest-labs/flux-schnell/predictions');
    expect(JSON.parse(prediction.body.toString())).toMatchObject({
      input: { prompt: REQUEST.prompt, seed: 7, width: 512, height: 512 },
    });
  });

  it('refuses requests its configuration does not serve', async () => {
    const textOnly = await rejection(create().generate({ ...REQUEST, image: source }, context()));
    expect(textOnly.code).toBe('UNSUPPORTED');
    const batch = await rejection(create().generate({ ...REQUEST, count: 2 }, context()));
    expect(batch.code).toBe('BAD_REQUEST');
    expect(fake.requests).toEqual([]);
  });

  it('passes an unexpected content type on as claimed, and fails on JSON that is no image', async () => {
    fake.fail('/endpoints/', { contentType: 'text/html' });
    const [image] = await create().generate(REQUEST, context());
    expect(image!.mimeType).toBe('text/html');

    fake.fail('/endpoints/', { contentType: 'application/json' });
    const error = await rejection(create().generate(REQUEST, context()));
    expect(error.code).toBe('BAD_RESPONSE');
    expectSecretFree(error, TOKEN);
  });

  it.each([
    [{ endpointUrl: undefined, model: undefined }, 'options.model is required'],
    [{ timeoutMs: 10 }, 'generator "hf": options.timeoutMs must be a number from 1000 to 600000'],
    [{ endpointUrl: 'ftp://example.org' }, 'options.endpointUrl must be an http(s) URL'],
    [
      { endpointUrl: undefined, provider: 'fal-ai' },
      'options.provider must be one of hf-inference, together, replicate',
    ],
    [
      { task: 'image-to-image', provider: 'replicate' },
      'options.provider must be one of hf-inference, together',
    ],
    [
      { provider: 'together' },
      'options.provider must be hf-inference (or left out) with options.endpointUrl',
    ],
    [{ task: 'inpainting' }, 'options.task must be one of text-to-image, image-to-image'],
    [{ token: 42 }, 'options.token must be a non-empty string'],
    [{ retries: 1.5 }, 'options.retries must be an integer from 0 to 10'],
    [{ maxResponseBytes: 10 }, 'options.maxResponseBytes must be an integer from 1024 to 1073741824'],
    [{ endpointURL: 'http://127.0.0.1:1' }, 'options.endpointURL is not an option of this generator'],
  ])('refuses options %j, naming the key', (options, message) => {
    expect(() => create(options)).toThrow(GeneratorConfigError);
    expect(() => create(options)).toThrow(message);
  });

  describeHttpFaults({
    fake: () => fake,
    path: `/endpoints/${FLUX}`,
    secret: TOKEN,
    create,
    request: REQUEST,
  });
});
