import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScriptedGenerator } from '#generators/test-support';
import { AssetService } from '../assets/asset-service.js';
import { AssetUrls } from '../assets/asset-urls.js';
import { EditService } from '../edits/edit.service.js';
import { GenerationService } from '../generation/generation.service.js';
import { GeneratorsService } from '../generators/generators.service.js';
import { InputLimits } from '../limits/input-limits.js';
import { drawingGenerator, failingGenerator } from '../test-support/scripted-generators.js';
import { sceneBytes, type ServiceApp, serviceApp } from '../test-support/service-app.js';
import { OpenAiImagesService } from './openai-images.service.js';
import { parseEditRequest, parseGenerationRequest } from './openai-request.js';

const scenes = drawingGenerator('scenes');
const sketches = drawingGenerator('sketches');
/** An image-to-image backend that only edits: it answers the source's circle in blue. */
const recolour = drawingGenerator('recolour', {
  scene: 'a blue circle on a white background',
  capabilities: { textToImage: false, imageToImage: true },
});
const down = failingGenerator('down', 'GENERATOR_FAILED', 500);

let app: ServiceApp;
let service: OpenAiImagesService;
beforeAll(async () => {
  app = await serviceApp({
    generators: [scenes, sketches, recolour, down],
    env: { MAX_CANDIDATES: '12', OPENAI_COMPAT_BEST_OF: '4' },
  });
  const get = app.context.get.bind(app.context);
  service = new OpenAiImagesService(
    app.config,
    get(GenerationService),
    get(EditService),
    get(GeneratorsService),
    get(AssetService),
    get(AssetUrls),
    get(InputLimits),
  );
});
afterAll(() => app?.close());

const context = { origin: 'http://clipsmith.test', signal: new AbortController().signal };
const asked = (generator: ScriptedGenerator): number => generator.calls.reduce((sum, c) => sum + c.count, 0);
const reset = (): void => {
  for (const g of [scenes, sketches, recolour, down]) g.calls.length = 0;
};

describe('OpenAiImagesService.generate', () => {
  it('shares n × best_of among the text-to-image generators and answers the best n', async () => {
    reset();
    const answer = await service.generate(
      parseGenerationRequest({ prompt: 'a red circle on a white background', n: 2, best_of: 3, seed: 1 }),
      context,
    );
    // 6 candidates among scenes, sketches and down (recolour only edits): 2 each.
    expect([asked(scenes), asked(sketches), asked(down), asked(recolour)]).toEqual([2, 2, 2, 0]);
    expect(answer.data.map((d) => d.clipsmith.rank)).toEqual([1, 2]);
    expect(answer.data[0]!.clipsmith.similarity).toBeGreaterThanOrEqual(answer.data[1]!.clipsmith.similarity);
    expect('url' in answer.data[0]! && answer.data[0].url).toBe(
      `http://clipsmith.test/assets/${answer.data[0]!.clipsmith.asset_id}`,
    );
  });

  it('lowers the default best_of to fit MAX_CANDIDATES, and refuses an explicit one that does not fit', async () => {
    reset();
    // 3 × 4 = 12 would be 4 per generator; MAX_CANDIDATES 12 over 3 generators allows exactly that.
    await service.generate(parseGenerationRequest({ prompt: 'a red circle', n: 3 }), context);
    expect(asked(scenes)).toBe(4);
    reset();
    // 10 × 4 = 40 does not fit: 4 per generator (12 in all), still at least n.
    const answer = await service.generate(parseGenerationRequest({ prompt: 'a red circle', n: 10 }), context);
    expect(asked(scenes)).toBe(4);
    expect(answer.data).toHaveLength(8);
    await expect(
      service.generate(parseGenerationRequest({ prompt: 'a red circle', n: 2, best_of: 8 }), context),
    ).rejects.toMatchObject({ code: 'TOO_MANY_ITEMS' });
  });

  it('names a generator as the model, and says why one cannot serve', async () => {
    reset();
    await service.generate(parseGenerationRequest({ prompt: 'a red circle', model: 'sketches' }), context);
    expect([asked(scenes), asked(sketches)]).toEqual([0, 4]);
    await expect(
      service.generate(parseGenerationRequest({ prompt: 'a red circle', model: 'recolour' }), context),
    ).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      param: 'model',
      message: expect.stringMatching(/only edits/),
    });
    await expect(
      service.generate(parseGenerationRequest({ prompt: 'a red circle', model: 'dall-e-3' }), context),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', param: 'model' });
  });

  it('fails as the generators failed when none returned an image', async () => {
    await expect(
      service.generate(parseGenerationRequest({ prompt: 'a red circle', model: 'down' }), context),
    ).rejects.toMatchObject({ code: 'GENERATOR_FAILED', message: 'down: down answered HTTP 500' });
  });
});

describe('OpenAiImagesService.edit', () => {
  it("edits through the named generator's image-to-image, ranked by CLIP", async () => {
    reset();
    const red = await sceneBytes('a red circle on a white background', 1, 96);
    const answer = await service.edit(
      parseEditRequest({ prompt: 'make the circle blue', model: 'recolour', response_format: 'b64_json' }),
      { images: [red], mask: null },
      context,
    );
    expect(asked(recolour)).toBeGreaterThan(0);
    expect(answer.data).toHaveLength(1);
    expect(answer.data[0]!.clipsmith).toMatchObject({ generator: 'recolour', operations: [] });
    expect(answer.data[0]!.clipsmith.directional_similarity).toBeGreaterThan(0);
    expect('b64_json' in answer.data[0]! && answer.data[0].b64_json.length).toBeGreaterThan(100);
  });

  it('answers n edits of each image from the named generator, each its own stored try, best first', async () => {
    reset();
    const images = [
      await sceneBytes('a red circle on a white background', 1, 96),
      await sceneBytes('a red circle on a white background', 2, 96),
    ];
    const answer = await service.edit(
      parseEditRequest({ prompt: 'make it blue', model: 'recolour', n: '3', size: '80x64' }),
      { images, mask: null },
      context,
    );
    // Each image went to the generator at the size asked, with enough tries for 3 different edits.
    expect(recolour.calls.map((c) => [c.image!.width, c.image!.height])).toEqual([
      [80, 64],
      [80, 64],
    ]);
    expect(asked(recolour)).toBe(8);
    expect(answer.data.map((d) => [d.clipsmith.image_index, d.clipsmith.rank])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [1, 2],
      [1, 3],
    ]);
    const ids = answer.data.map((d) => d.clipsmith.asset_id);
    expect(new Set(ids).size).toBe(6);
    for (const item of answer.data) {
      const stored = await app.context.get(AssetService).get(item.clipsmith.asset_id);
      expect(stored).toMatchObject({
        generatorId: 'recolour',
        scores: {
          directionalSimilarity: item.clipsmith.directional_similarity,
          preservation: item.clipsmith.preservation,
        },
      });
    }
  });

  it('answers n different edits from the operator search, brought to the size asked', async () => {
    const answer = await service.edit(
      parseEditRequest({ prompt: 'black and white', n: '2', size: '48x40', response_format: 'b64_json' }),
      { images: [await sceneBytes('a red circle on a white background', 1, 96)], mask: null },
      context,
    );
    expect(answer.data).toHaveLength(2);
    const [first, second] = answer.data.map((d) => d.clipsmith);
    expect(first!.operations).not.toEqual(second!.operations);
    expect(first!.accepted || !second!.accepted).toBe(true); // accepted ones first
    for (const item of answer.data) {
      const png = Buffer.from('b64_json' in item ? item.b64_json : '', 'base64');
      expect(await sharp(png).metadata()).toMatchObject({ width: 48, height: 40 });
      expect(item.clipsmith.generator).toBeNull();
    }
  });

  it.each([
    ['a size over MAX_IMAGE_PIXELS', { size: '99999x99999' }, { code: 'IMAGE_TOO_LARGE', param: 'size' }],
    [
      'a model that does not edit images',
      { model: 'scenes' },
      { code: 'BAD_REQUEST', param: 'model', message: expect.stringMatching(/does not edit images/) },
    ],
  ])('refuses %s before editing, saying why', async (_, fields, error) => {
    await expect(
      service.edit(
        parseEditRequest({ prompt: 'make it blue', ...fields }),
        { images: [await sceneBytes('a red circle', 1, 96)], mask: null },
        context,
      ),
    ).rejects.toMatchObject(error);
  });

  it('needs an image', async () => {
    await expect(
      service.edit(parseEditRequest({ prompt: 'make it blue' }), { images: [], mask: null }, context),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST', param: 'image' });
  });
});

describe('OpenAiImagesService models', () => {
  it('lists clipsmith, then every generator, and finds one by id', () => {
    expect(service.listModels().map((m) => [m.id, m.owned_by])).toEqual([
      ['clipsmith', 'clipsmith'],
      ['scenes', 'scripted'],
      ['sketches', 'scripted'],
      ['recolour', 'scripted'],
      ['down', 'scripted'],
    ]);
    expect(service.retrieveModel('scenes').object).toBe('model');
    expect(() => service.retrieveModel('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
