import { DEFAULT_IMAGE_LIMITS } from '#clip';
import {
  DEFAULT_FAN_OUT,
  type GeneratedImage,
  type GenerationRequest,
  type GeneratorCapabilities,
  type ImageGenerator,
} from '#generators';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseColour } from './colours.js';
import { DEFAULT_CRITERIA } from './edit-scores.js';
import { editWithGenerators } from './generator-edits.js';
import { FeatureClip } from './test-support/feature-clip.js';
import { redCircle } from './test-support/scenes.js';

const CAPABILITIES: GeneratorCapabilities = {
  textToImage: false,
  imageToImage: true,
  sizes: { minWidth: 64, maxWidth: 1024, minHeight: 64, maxHeight: 1024, multipleOf: 8 },
  maxImagesPerCall: 2,
  seed: true,
  negativePrompt: false,
};

/**
 * Stands in for an instruct-pix2pix service: it tints the input toward the colour its prompt names, as
 * strongly as the seed says, except every fourth seed, which returns an unrelated flat blue picture.
 */
class TintingGenerator implements ImageGenerator {
  readonly kind = 'test';
  readonly capabilities = CAPABILITIES;
  readonly requests: GenerationRequest[] = [];

  constructor(readonly id: string) {}

  async generate(request: GenerationRequest): Promise<GeneratedImage[]> {
    this.requests.push(request);
    const source = request.image!;
    const colour = request.prompt.split(' ').map(parseColour).find(Boolean) ?? [128, 128, 128];
    return Promise.all(
      Array.from({ length: request.count }, async (_, i) => {
        const seed = request.seed! + i;
        const strength = ((seed % 4) + 1) / 4;
        const picture =
          seed % 4 === 3
            ? sharp({
                create: { width: source.width, height: source.height, channels: 3, background: 'blue' },
              })
            : sharp(source.bytes).composite([{ input: await wash(source, colour, strength), blend: 'over' }]);
        const bytes = await picture.png().toBuffer();
        return { bytes, mimeType: 'image/png', seed, parameters: { strength }, model: 'test/tint' };
      }),
    );
  }
}

/** A translucent layer of one colour over the whole image. */
function wash(source: { width: number; height: number }, [r, g, b]: readonly number[], alpha: number) {
  return sharp({
    create: {
      width: source.width,
      height: source.height,
      channels: 4,
      background: { r: r!, g: g!, b: b!, alpha },
    },
  })
    .png()
    .toBuffer();
}

const fanOut = { ...DEFAULT_FAN_OUT, imageLimits: DEFAULT_IMAGE_LIMITS };
let circle: Uint8Array;

beforeAll(async () => {
  circle = (await redCircle(128)).bytes;
});

describe('editWithGenerators', () => {
  it('asks image-to-image with the instruction as prompt and ranks the edits by the edit criteria', async () => {
    const generator = new TintingGenerator('tinter');
    const criteria = { ...DEFAULT_CRITERIA, preservationFloor: 0.75 };
    const result = await editWithGenerators(new FeatureClip(), [generator], circle, 'make it green', {
      tries: 8,
      seed: 0,
      fanOut,
      ...criteria,
    });
    expect(generator.requests.map((r) => [r.prompt, r.count])).toEqual([
      ['make it green', 2],
      ['make it green', 2],
      ['make it green', 2],
      ['make it green', 2],
    ]);
    expect(generator.requests[0]!.image).toMatchObject({ mimeType: 'image/png', width: 128, height: 128 });
    expect(Buffer.compare(generator.requests[0]!.image!.bytes, circle)).toBe(0);

    const { ranked, best } = result;
    expect(ranked.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const eligible = ranked.filter((r) => r.eligible);
    expect(ranked.slice(0, eligible.length)).toEqual(eligible);
    // The unrelated blue pictures are never chosen.
    for (const r of ranked.filter((c) => c.candidate.seed! % 4 === 3)) expect(r.eligible).toBe(false);
    expect(best).toBe(ranked[0]);
    expect(best!.accepted).toBe(true);
    for (const r of eligible) {
      expect(best!.scores.directionalSimilarity).toBeGreaterThanOrEqual(
        r.scores.directionalSimilarity - criteria.tieTolerance,
      );
      expect(r.keepsImage).toBe(r.scores.preservation >= criteria.preservationFloor);
      expect(r.accepted).toBe(r.keepsImage && r.scores.directionalSimilarity >= criteria.acceptThreshold);
    }
    expect(result).toMatchObject({
      sourceText: 'a picture',
      targetText: 'a green picture',
      rule: 'recolour',
    });
  });

  it('reports a generator that cannot edit images, and still ranks what the others made', async () => {
    const textOnly: ImageGenerator = {
      ...new TintingGenerator('painter'),
      id: 'painter',
      kind: 'test',
      capabilities: { ...CAPABILITIES, textToImage: true, imageToImage: false },
      generate: async () => [],
    };
    const result = await editWithGenerators(
      new FeatureClip(),
      [new TintingGenerator('tinter'), textOnly],
      circle,
      'make it green',
      { tries: 2, seed: 4, fanOut },
    );
    expect(result.errors).toEqual([expect.objectContaining({ generatorId: 'painter', code: 'UNSUPPORTED' })]);
    expect(result.ranked.map((r) => r.candidate.generatorId)).toEqual(['tinter', 'tinter']);
  });

  it('has no best when every edit misses the floor', async () => {
    const result = await editWithGenerators(
      new FeatureClip(),
      [new TintingGenerator('tinter')],
      circle,
      'make it green',
      {
        tries: 4,
        seed: 0,
        fanOut,
        preservationFloor: 0.9999,
      },
    );
    expect(result.ranked).toHaveLength(4);
    expect(result.best).toBeNull();
  });

  it('picks the best edits that look different, one of each picture, accepted first', async () => {
    // Two generators that answer the same pictures: 8 edits, 4 different ones (one the unrelated blue).
    const result = await editWithGenerators(
      new FeatureClip(),
      [new TintingGenerator('a'), new TintingGenerator('b')],
      circle,
      'make it green',
      { tries: 4, seed: 0, fanOut, alternatives: 5 },
    );
    expect(result.ranked).toHaveLength(8);
    const { picked } = result;
    expect(picked.map((p) => p.candidate.seed).sort()).toEqual([0, 1, 2, 3]);
    expect(picked.at(-1)!.candidate.seed).toBe(3); // the blue picture, ineligible, comes last
    const accepted = picked.map((p) => p.accepted);
    expect(accepted).toEqual([...accepted].sort((x, y) => Number(y) - Number(x)));
    expect(picked[0]).toBe(result.ranked.find((r) => r.accepted));
    const one = await editWithGenerators(
      new FeatureClip(),
      [new TintingGenerator('a')],
      circle,
      'make it green',
      {
        tries: 4,
        seed: 0,
        fanOut,
      },
    );
    expect(one.picked).toEqual([one.ranked[0]]);
  });

  it('refuses a bad source image and a bad number of tries', async () => {
    const generator = new TintingGenerator('tinter');
    await expect(
      editWithGenerators(new FeatureClip(), [generator], new Uint8Array([1, 2, 3]), 'x', { fanOut }),
    ).rejects.toThrow(/image/i);
    await expect(
      editWithGenerators(new FeatureClip(), [generator], circle, 'x', { tries: 0, fanOut }),
    ).rejects.toThrow(/tries/);
    expect(generator.requests).toEqual([]);
  });
});
