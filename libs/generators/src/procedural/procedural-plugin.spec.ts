import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { GeneratorConfigError } from '../errors.js';
import { proceduralPlugin } from './procedural-plugin.js';
import type { Scene } from './scene.js';

const environment = { env: {}, fetch };
const signal = new AbortController().signal;

describe('procedural generator plugin', () => {
  it('renders the prompt at the asked size, one image per consecutive seed, reporting the scene drawn', async () => {
    const generator = proceduralPlugin.create('local', { fidelity: 1 }, environment);
    const images = await generator.generate(
      { prompt: 'a red circle on a blue background', count: 3, seed: 40, width: 96, height: 64 },
      { signal },
    );
    expect(images.map((i) => i.seed)).toEqual([40, 41, 42]);
    for (const image of images) {
      const meta = await sharp(image.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', 96, 64]);
      const scene = image.parameters['scene'] as Scene;
      expect(scene.objects[0]).toMatchObject({ colour: 'red', shape: 'circle' });
      expect(scene.background).toBe('blue');
    }
    expect(Buffer.from(images[0]!.bytes).equals(images[1]!.bytes)).toBe(false);
  });

  it('is reproducible: the same seed draws the same image', async () => {
    const generator = proceduralPlugin.create('local', {}, environment);
    const [a] = await generator.generate({ prompt: 'a green star', count: 1, seed: 7 }, { signal });
    const [b] = await generator.generate({ prompt: 'a green star', count: 1, seed: 7 }, { signal });
    expect(Buffer.from(a!.bytes).equals(Buffer.from(b!.bytes))).toBe(true);
  });

  it('is unfaithful about as often as its fidelity says', async () => {
    const generator = proceduralPlugin.create('local', { fidelity: 0.5, defaultSize: 32 }, environment);
    const images = await generator.generate({ prompt: 'a red circle', count: 8, seed: 1 }, { signal });
    const more = await Promise.all(
      Array.from({ length: 12 }, (_, k) =>
        generator.generate({ prompt: 'a red circle', count: 8, seed: 100 + k * 8 }, { signal }),
      ),
    );
    const scenes = [...images, ...more.flat()].map((i) => i.parameters['scene'] as Scene);
    const red = scenes.filter((s) => s.objects.some((o) => o.colour === 'red')).length / scenes.length;
    expect(red).toBeGreaterThan(0.35);
    expect(red).toBeLessThan(0.75);
  });

  it('validates its options, naming the key', () => {
    expect(() => proceduralPlugin.create('local', { fidelity: 2 }, environment)).toThrow(
      GeneratorConfigError,
    );
    expect(() => proceduralPlugin.create('local', { fidelity: 2 }, environment)).toThrow(
      'options.fidelity must be a number from 0 to 1',
    );
    expect(() => proceduralPlugin.create('local', { fidelty: 1 }, environment)).toThrow(
      'options.fidelty is not an option',
    );
  });

  it('stops when the caller goes away', async () => {
    const generator = proceduralPlugin.create('local', {}, environment);
    const controller = new AbortController();
    controller.abort();
    await expect(
      generator.generate({ prompt: 'x', count: 2 }, { signal: controller.signal }),
    ).rejects.toThrow();
  });
});
