import { describe, expect, it } from 'vitest';
import { colourDistance } from './colours.js';
import { dominantColours } from './palette.js';
import { decodeRgb, sceneImage, solid } from './test-support/scenes.js';

describe('dominantColours', () => {
  it('finds a scene’s background and object colours, most common first, without the anti-aliased fringe', async () => {
    const { scene, bytes } = await sceneImage(
      { objects: [{ colour: 'yellow', shape: 'star' }], background: 'blue', style: 'plain' },
      5,
    );
    const palette = dominantColours(await decodeRgb(bytes));
    expect(palette).toHaveLength(2);
    expect(colourDistance(palette[0]!.rgb, scene.backgroundRgb)).toBeLessThan(3);
    expect(colourDistance(palette[1]!.rgb, scene.objects[0]!.rgb)).toBeLessThan(3);
    expect(palette[0]!.share).toBeGreaterThan(palette[1]!.share);
    expect(palette[0]!.share + palette[1]!.share).toBeGreaterThan(0.95);
  });

  it('merges colours closer than the separation and keeps at most `max`', () => {
    const half = (a: readonly number[], b: readonly number[]) => {
      const image = solid([0, 0, 0], 10, 10);
      for (let i = 0; i < 100; i++) image.data.set(i < 50 ? a : b, i * 3);
      return image;
    };
    expect(dominantColours(half([200, 30, 30], [210, 40, 35]))).toHaveLength(1);
    expect(dominantColours(half([200, 30, 30], [30, 30, 200]))).toHaveLength(2);
    expect(dominantColours(half([200, 30, 30], [30, 30, 200]), { max: 1 })).toHaveLength(1);
    expect(dominantColours(half([200, 30, 30], [30, 30, 200]), { minShare: 0.6 })).toHaveLength(0);
  });
});
