import { describe, expect, it } from 'vitest';
import { Random } from './random.js';
import { realizeScene, type Scene, type SceneRequest } from './scene.js';
import { type Box, sceneSvg } from './scene-svg.js';
import { nearestColour } from './test-support/pixels.js';
import { COLOURS, RELATIONS, SHAPES, STYLES } from './vocabulary.js';

/** A consistent request specifying everything: `objects` objects, none the background's colour. */
function fullRequest(seed: number, objects: 1 | 2): Required<SceneRequest> {
  const rng = new Random(seed);
  const background = rng.pick(COLOURS);
  const others = COLOURS.filter((c) => c !== background);
  return {
    objects: Array.from({ length: objects }, () => ({ colour: rng.pick(others), shape: rng.pick(SHAPES) })),
    background,
    style: rng.pick(STYLES),
    relation: rng.pick(RELATIONS),
  };
}

/** Pairs (asked, got) for every attribute a two-object request specifies. */
function attributes(request: Required<SceneRequest>, scene: Scene): Record<string, [unknown, unknown]> {
  return {
    colour0: [request.objects[0]!.colour, scene.objects[0]!.colour],
    colour1: [request.objects[1]!.colour, scene.objects[1]!.colour],
    shape0: [request.objects[0]!.shape, scene.objects[0]!.shape],
    shape1: [request.objects[1]!.shape, scene.objects[1]!.shape],
    background: [request.background, scene.background],
    style: [request.style, scene.style],
    relation: [request.relation, scene.relation],
  };
}

const SEEDS = Array.from({ length: 500 }, (_, i) => i);

describe('realizeScene', () => {
  it('honours every attribute at fidelity 1', () => {
    for (const seed of SEEDS) {
      const request = fullRequest(seed, 2);
      const scene = realizeScene(request, { seed, fidelity: 1 });
      for (const [asked, got] of Object.values(attributes(request, scene))) expect(got).toBe(asked);
    }
  });

  it('honours each attribute about half the time at the default fidelity of 0.5', () => {
    const honoured = new Map<string, number>();
    let swaps = 0;
    for (const seed of SEEDS) {
      const request = fullRequest(seed, 2);
      const scene = realizeScene(request, { seed });
      for (const [name, [asked, got]] of Object.entries(attributes(request, scene)))
        honoured.set(name, (honoured.get(name) ?? 0) + (asked === got ? 1 : 0));
      const [a, b] = request.objects;
      if (
        a!.colour !== b!.colour &&
        scene.objects[0]!.colour === b!.colour &&
        scene.objects[1]!.colour === a!.colour
      )
        swaps++;
    }
    // 500 trials: a binomial(500, 0.5) rate lies within ±0.08 of 0.5 with probability > 0.999.
    for (const [name, count] of honoured)
      expect(Math.abs(count / SEEDS.length - 0.5), name).toBeLessThan(0.08);
    // Both colours wrong (1/4) and then swapped half the time: about 1/8 of the scenes bind colours crosswise.
    expect(swaps / SEEDS.length).toBeGreaterThan(0.07);
    expect(swaps / SEEDS.length).toBeLessThan(0.2);
  });

  it('never honours a specified attribute at fidelity 0', () => {
    for (const seed of SEEDS.slice(0, 100)) {
      const request = fullRequest(seed, 2);
      const scene = realizeScene(request, { seed, fidelity: 0 });
      for (const [asked, got] of Object.values(attributes(request, scene))) expect(got).not.toBe(asked);
    }
  });

  it('is deterministic in its seed', () => {
    const request = fullRequest(1, 2);
    expect(realizeScene(request, { seed: 9 })).toEqual(realizeScene(request, { seed: 9 }));
    expect(realizeScene(request, { seed: 9 })).not.toEqual(realizeScene(request, { seed: 10 }));
  });

  it('fills an empty request with one random object never coloured like the background', () => {
    const seen = { colours: new Set<string>(), shapes: new Set<string>(), styles: new Set<string>() };
    for (const seed of SEEDS) {
      const scene = realizeScene({ objects: [] }, { seed });
      expect(scene.objects).toHaveLength(1);
      expect(scene.relation).toBeNull();
      expect(scene.objects[0]!.colour).not.toBe(scene.background);
      seen.colours.add(scene.objects[0]!.colour);
      seen.shapes.add(scene.objects[0]!.shape);
      seen.styles.add(scene.style);
    }
    expect([seen.colours.size, seen.shapes.size, seen.styles.size]).toEqual([
      COLOURS.length,
      SHAPES.length,
      STYLES.length,
    ]);
  });

  it('adds a second object when only a relation asks for one', () => {
    const scene = realizeScene({ objects: [{ shape: 'star' }], relation: 'above' }, { seed: 3, fidelity: 1 });
    expect(scene.objects).toHaveLength(2);
    expect(scene.objects[0]!.shape).toBe('star');
    expect(scene.relation).toBe('above');
  });

  it('keeps the background when a request asks for an object of the same colour', () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const scene = realizeScene(
        { objects: [{ colour: 'red', shape: 'circle' }], background: 'red' },
        { seed, fidelity: 1 },
      );
      expect(scene.background).toBe('red');
      expect(scene.objects[0]!.colour).not.toBe('red');
    }
  });

  it('jitters colours only a little: every painted colour stays nearest its name', () => {
    for (const seed of SEEDS) {
      const scene = realizeScene(fullRequest(seed, 2), { seed });
      expect(nearestColour(scene.backgroundRgb)).toBe(scene.background);
      for (const o of scene.objects) expect(nearestColour(o.rgb)).toBe(o.colour);
    }
  });

  it('rejects a fidelity outside [0, 1]', () => {
    expect(() => realizeScene({ objects: [] }, { seed: 1, fidelity: 1.5 })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});

describe('realised layouts', () => {
  const centre = (b: Box): [number, number] => [b.x + b.width / 2, b.y + b.height / 2];

  it.each([
    [64, 64],
    [640, 480],
    [300, 500],
  ])(
    'satisfy their relation geometrically at %i×%i, objects whole inside the central square',
    (width, height) => {
      const side = Math.min(width, height);
      const [left, top] = [(width - side) / 2, (height - side) / 2];
      for (const seed of SEEDS) {
        const scene = realizeScene(fullRequest(seed, 2), { seed });
        const [a, b] = sceneSvg(scene, width, height).boxes as [Box, Box];
        for (const box of [a, b]) {
          expect(box.x).toBeGreaterThanOrEqual(Math.floor(left));
          expect(box.y).toBeGreaterThanOrEqual(Math.floor(top));
          expect(box.x + box.width).toBeLessThanOrEqual(Math.ceil(left + side));
          expect(box.y + box.height).toBeLessThanOrEqual(Math.ceil(top + side));
        }
        const [dx, dy] = [centre(b)[0] - centre(a)[0], centre(b)[1] - centre(a)[1]];
        switch (scene.relation) {
          case 'left of':
            expect(a.x + a.width).toBeLessThanOrEqual(b.x);
            break;
          case 'right of':
            expect(b.x + b.width).toBeLessThanOrEqual(a.x);
            break;
          case 'above':
            expect(a.y + a.height).toBeLessThanOrEqual(b.y);
            break;
          case 'below':
            expect(b.y + b.height).toBeLessThanOrEqual(a.y);
            break;
        }
        // The relation's axis dominates: the objects are further apart along it than across it.
        const horizontal = scene.relation === 'left of' || scene.relation === 'right of';
        expect(Math.abs(horizontal ? dx : dy)).toBeGreaterThan(Math.abs(horizontal ? dy : dx));
      }
    },
  );
});
