import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPEN_CAPABILITIES, ScriptedGenerator } from '#generators/test-support';
import { AssetService } from '../assets/asset-service.js';
import { assetIdOf } from '../assets/asset-id.js';
import { toApiError } from '../errors/api-error.js';
import { sceneBytes, type ServiceApp, serviceApp, storedAssets } from '../test-support/service-app.js';
import { EditService } from './edit.service.js';
import { type EditImageInput, EditMode } from './edit.types.js';

/** An image-to-image backend that paints the circle green, whatever it is sent. */
const painter = new ScriptedGenerator(
  'painter',
  async (request) => [
    {
      bytes: await sceneBytes('a green circle on a white background', request.seed ?? 0),
      mimeType: 'image/png',
      seed: request.seed ?? 0,
      parameters: { prompt: request.prompt },
      model: 'painter-1',
    },
  ],
  { ...OPEN_CAPABILITIES, textToImage: false, imageToImage: true, maxImagesPerCall: 1 },
);
const drawer = new ScriptedGenerator('drawer', async () => []);
/** An inpainting backend: it records the mask it is sent and answers the source as it was. */
const inpainter = new ScriptedGenerator(
  'inpainter',
  async (request) => [
    { bytes: request.image!.bytes, mimeType: 'image/png', seed: 0, parameters: {}, model: 'inpaint-1' },
  ],
  { ...OPEN_CAPABILITIES, textToImage: false, imageToImage: true, inpainting: true, maxImagesPerCall: 1 },
);

let app: ServiceApp;
let service: EditService;
let assets: AssetService;
let redCircle: Buffer;
beforeAll(async () => {
  app = await serviceApp({ generators: [painter, drawer, inpainter] });
  service = app.context.get(EditService);
  assets = app.context.get(AssetService);
  // Plain: in a pixelated picture the bundled model barely tells "a circle" from "a picture" (docs/guidance.md).
  redCircle = await sceneBytes('a plain red circle on a white background');
});
afterAll(() => app?.close());

const signal = new AbortController().signal;
const INSTRUCTION = 'make the circle green';

/** The red circle edited in GENERATOR mode by one generator. */
const editWith = (generator: string, instruction: string, more: Partial<EditImageInput> = {}) =>
  service.edit(
    {
      image: { base64: redCircle.toString('base64') },
      instruction,
      mode: EditMode.GENERATOR,
      generators: [generator],
      ...more,
    },
    signal,
  );

describe('EditService', () => {
  it('edits a stored asset with the operators, storing the edit as made from it', async () => {
    const source = await assets.storeBytes(redCircle, { source: 'generated' });
    const result = await service.edit(
      { image: { assetId: source.id }, instruction: INSTRUCTION, mode: EditMode.OPERATORS, budget: 16 },
      signal,
    );
    expect(result).toMatchObject({ mode: 'OPERATORS', generator: null, errors: [] });
    expect(result.evaluations).toBeLessThanOrEqual(16);
    expect(result.accepted).toBe(true);
    expect(result.operations.length).toBeGreaterThan(0);
    expect(await assets.get(result.asset.id)).toMatchObject({
      source: 'edited',
      prompt: INSTRUCTION,
      editedFrom: source.id,
      parameters: { mode: 'OPERATORS', operations: result.operations },
    });
  });

  it('stores an image sent with the request as an upload, once the edit is made', async () => {
    const bytes = await sceneBytes('a red circle on a white background', 2);
    const result = await service.edit(
      { image: { base64: bytes.toString('base64') }, instruction: INSTRUCTION, mode: EditMode.GENERATOR },
      signal,
    );
    expect(result).toMatchObject({ mode: 'GENERATOR', generator: 'painter', operations: [] });
    expect(await assets.get(assetIdOf(bytes))).toMatchObject({ source: 'uploaded' });
    expect(await assets.get(result.asset.id)).toMatchObject({
      source: 'edited',
      generatorId: 'painter',
      editedFrom: assetIdOf(bytes),
      parameters: { mode: 'GENERATOR' },
    });
  });

  it('picks the generators in AUTO mode when one edits images, else the operators', async () => {
    const image = { base64: redCircle.toString('base64') };
    const auto = await service.edit({ image, instruction: INSTRUCTION, mode: EditMode.AUTO }, signal);
    expect(auto.mode).toBe('GENERATOR');
    const withoutEditors = await service.edit(
      { image, instruction: INSTRUCTION, mode: EditMode.AUTO, generators: ['drawer'], budget: 8 },
      signal,
    );
    expect(withoutEditors.mode).toBe('OPERATORS');
  });

  it('sends an inpainting generator the located part’s mask, and stores the mask with the edit', async () => {
    const result = await editWith('inpainter', INSTRUCTION, { budget: 4 });
    expect(inpainter.calls.at(-1)!.mask).toMatchObject({ mimeType: 'image/png' });
    expect(result).toMatchObject({ generator: 'inpainter', part: 'circle', outsideChange: 0 });
    expect(result.mask).not.toBeNull();
    expect(result.region!.width).toBeGreaterThan(0);
  });

  it('asks no generator to recolour a part the picture lacks, and says so', async () => {
    const calls = inpainter.calls.length;
    const result = await editWith('inpainter', 'make the star green');
    expect(inpainter.calls).toHaveLength(calls);
    expect(result).toMatchObject({
      accepted: false,
      generator: null,
      reason: expect.stringMatching(/no star/),
    });
  });

  it('answers alternatives, each stored as an edit made from the source, with its own scores', async () => {
    const source = await assets.storeBytes(redCircle, { source: 'generated' });
    const result = await service.edit(
      { image: { assetId: source.id }, instruction: INSTRUCTION, mode: EditMode.OPERATORS, alternatives: 2 },
      signal,
    );
    expect(result.alternatives).toHaveLength(2);
    const edits = [result, ...result.alternatives];
    expect(new Set(edits.map((e) => e.asset.id)).size).toBe(3);
    for (const edit of edits) {
      expect(await assets.get(edit.asset.id)).toMatchObject({
        source: 'edited',
        editedFrom: source.id,
        parameters: { mode: 'OPERATORS', operations: edit.operations },
        scores: { directionalSimilarity: edit.directionalSimilarity, preservation: edit.preservation },
      });
    }
  });

  it('asks the generators for enough tries to answer the alternatives', async () => {
    const calls = painter.calls.length;
    const result = await editWith('painter', 'make it green', { alternatives: 5 });
    expect(painter.calls.length - calls).toBe(6);
    // Six tries, each its own picture; those too like one ranked before it are left out.
    const edits = [result, ...result.alternatives];
    expect(edits.length).toBeGreaterThan(2);
    expect(edits.length).toBeLessThanOrEqual(6);
    const seeds = await Promise.all(edits.map(async (e) => (await assets.get(e.asset.id))!.seed));
    expect(new Set(seeds).size).toBe(edits.length);
    expect(result.alternatives.every((a) => a.generator === 'painter')).toBe(true);
  });

  it('refuses more alternatives than MAX_CANDIDATES allows with TOO_MANY_ITEMS', async () => {
    const error = await service
      .edit(
        { image: { base64: redCircle.toString('base64') }, instruction: INSTRUCTION, alternatives: 16 },
        signal,
      )
      .catch((e: unknown) => e);
    expect([toApiError(error).code, toApiError(error).message]).toEqual([
      'TOO_MANY_ITEMS',
      expect.stringMatching(/from 0 to 15.*MAX_CANDIDATES/),
    ]);
  });

  it.each([
    ['GENERATOR mode with no generator that edits', { mode: EditMode.GENERATOR, generators: ['drawer'] }],
    ['a budget below 4', { budget: 3 }],
    ['a budget over MAX_EDIT_BUDGET', { budget: 100_000 }],
    ['an unknown generator', { generators: ['nope'] }],
    ['a preservation floor outside [-1, 1]', { preservationFloor: 3 }],
    ['an accept threshold outside [-1, 1]', { acceptThreshold: -2 }],
    ['a blank instruction', { instruction: '  ' }],
    ['negative alternatives', { alternatives: -1 }],
    ['a budget too small for the alternatives asked', { budget: 4, alternatives: 3 }],
  ])('refuses %s with BAD_REQUEST, storing nothing', async (_, overrides) => {
    const bytes = await sceneBytes('a blue square on a white background', 9);
    const before = await storedAssets(app);
    const error = await service
      .edit({ image: { base64: bytes.toString('base64') }, instruction: INSTRUCTION, ...overrides }, signal)
      .catch((e: unknown) => e);
    expect(toApiError(error).code).toBe('BAD_REQUEST');
    expect(await storedAssets(app)).toBe(before);
  });

  it('refuses a mask with no editable (white) pixels with BAD_REQUEST, storing nothing', async () => {
    const black = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#000000' } })
      .png()
      .toBuffer();
    const before = await storedAssets(app);
    const error = await service
      .edit(
        {
          image: { base64: redCircle.toString('base64') },
          mask: { base64: black.toString('base64') },
          instruction: INSTRUCTION,
          mode: EditMode.OPERATORS,
        },
        signal,
      )
      .catch((e: unknown) => e);
    expect([toApiError(error).code, toApiError(error).message]).toEqual([
      'BAD_REQUEST',
      expect.stringContaining('no editable (white) pixels'),
    ]);
    expect(await storedAssets(app)).toBe(before);
  });
});
