import { describe, expect, it } from 'vitest';
import { canonicalCaption, CAPTIONS_PER_SCENE, captionsFor, singleObjectCaptions } from './captions.js';
import { parsePrompt } from './prompt-parser.js';
import { Random } from './random.js';
import { realizeScene, type Scene } from './scene.js';
import { INVERSE_RELATION } from './vocabulary.js';

const SEEDS = Array.from({ length: 1000 }, (_, i) => i);

function sceneFor(seed: number): Scene {
  return realizeScene({ objects: seed % 2 === 0 ? [{}] : [{}, {}] }, { seed });
}

describe('canonicalCaption', () => {
  it('names every attribute so parsePrompt reads the whole scene back', () => {
    for (const seed of SEEDS) {
      const scene = sceneFor(seed);
      expect(parsePrompt(canonicalCaption(scene))).toEqual({
        objects: scene.objects.map((o) => ({ colour: o.colour, shape: o.shape })),
        background: scene.background,
        style: scene.style,
        ...(scene.relation && { relation: scene.relation }),
      });
    }
  });

  it('reads naturally', () => {
    const scene = realizeScene(
      {
        objects: [
          { colour: 'orange', shape: 'circle' },
          { colour: 'blue', shape: 'square' },
        ],
        background: 'white',
        style: 'outlined',
        relation: 'left of',
      },
      { seed: 1, fidelity: 1 },
    );
    expect(canonicalCaption(scene)).toBe(
      'an orange circle to the left of a blue square on a white background, outlined',
    );
    expect(canonicalCaption({ ...scene, objects: scene.objects.slice(0, 1), relation: null })).toBe(
      'an orange circle on a white background, outlined',
    );
  });
});

describe('captionsFor', () => {
  it('gives several different captions, none contradicting the scene', () => {
    const rng = new Random(1);
    for (const seed of SEEDS) {
      const scene = sceneFor(seed);
      const captions = captionsFor(scene, rng);
      expect(captions).toHaveLength(CAPTIONS_PER_SCENE);
      expect(new Set(captions).size).toBe(captions.length);
      for (const caption of captions) {
        const parsed = parsePrompt(caption);
        // Whatever a caption names must be true of the scene, objects in either order.
        expect(parsed.objects.length).toBeGreaterThan(0);
        for (const o of parsed.objects) expect(scene.objects).toContainEqual(expect.objectContaining(o));
        if (parsed.background) expect(parsed.background).toBe(scene.background);
        if (parsed.style) expect(parsed.style).toBe(scene.style);
        const [a, b] = scene.objects.map((o) => `${o.colour} ${o.shape}`);
        // Two identical objects satisfy a relation either way round.
        if (parsed.relation && a !== b) {
          const [first] = parsed.objects;
          const sameOrder = `${first?.colour} ${first?.shape}` === a;
          expect(parsed.relation).toBe(sameOrder ? scene.relation : INVERSE_RELATION[scene.relation!]);
        }
      }
    }
  });

  it('mixes templates: the same scene gets different captions from different draws', () => {
    const scene = sceneFor(2);
    const all = new Set(Array.from({ length: 20 }, (_, i) => captionsFor(scene, new Random(i))).flat());
    expect(all.size).toBeGreaterThanOrEqual(9);
    expect(all).toContain(`a photo of a ${scene.objects[0]!.colour} ${scene.objects[0]!.shape}`);
  });

  it('describes the relation both ways round', () => {
    const scene = realizeScene(
      {
        objects: [
          { colour: 'red', shape: 'circle' },
          { colour: 'blue', shape: 'square' },
        ],
        relation: 'left of',
      },
      { seed: 4, fidelity: 1 },
    );
    const all = new Set(Array.from({ length: 20 }, (_, i) => captionsFor(scene, new Random(i))).flat());
    expect(all).toContain('a red circle to the left of a blue square');
    expect(all).toContain('a blue square to the right of a red circle');
  });

  it('captions an empty scene by its background', () => {
    const scene: Scene = { ...sceneFor(0), objects: [], relation: null };
    const captions = captionsFor(scene, new Random(1));
    expect(captions.length).toBeGreaterThanOrEqual(5);
    for (const caption of captions)
      expect(parsePrompt(caption).background ?? scene.background).toBe(scene.background);
    expect(parsePrompt(canonicalCaption(scene))).toEqual({
      objects: [],
      background: scene.background,
      style: scene.style,
    });
  });
});

describe('singleObjectCaptions', () => {
  it('names every one-object scene once, each parsing back to its own attributes', () => {
    const captions = singleObjectCaptions();
    expect(captions).toHaveLength(11 * 8 * 10 * 9);
    expect(new Set(captions).size).toBe(captions.length);
    const sample = parsePrompt(captions[123]!);
    expect(sample.objects).toHaveLength(1);
    expect(sample.background).toBeDefined();
    expect(sample.style).toBeDefined();
  });
});
