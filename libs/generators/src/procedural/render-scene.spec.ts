import { describe, expect, it } from 'vitest';
import type { RgbImage } from '#clip';
import { renderScene } from './render-scene.js';
import { realizeScene, type Scene } from './scene.js';
import {
  colourCounts,
  decodeRgb,
  edgeEnergy,
  meanSaturation,
  nearestColour,
  pixelAt,
} from './test-support/pixels.js';
import type { Style } from './vocabulary.js';

function scene(seed: number, style: Style, objects: 1 | 2 = 1): Scene {
  return realizeScene({ objects: Array.from({ length: objects }, () => ({})), style }, { seed, fidelity: 1 });
}

async function render(s: Scene, width = 256, height = 256): Promise<{ image: RgbImage; boxes: Box[] }> {
  const rendered = await renderScene(s, { width, height });
  return { image: await decodeRgb(rendered.bytes), boxes: rendered.boxes };
}

type Box = Awaited<ReturnType<typeof renderScene>>['boxes'][number];

/** The colour covering most of the box once the background is set aside, and its share of the box. */
function dominantObjectColour(image: RgbImage, box: Box, background: string): [string, number] {
  const counts = [...colourCounts(image, box)].filter(([c]) => c !== background).sort((a, b) => b[1] - a[1]);
  const [colour, count] = counts[0] ?? ['none', 0];
  return [colour, count / (box.width * box.height)];
}

describe('renderScene', () => {
  it.each(['plain', 'striped', 'dotted', 'outlined'] as const)(
    'paints each object in its colour inside its box and the background at the corners (%s)',
    async (style) => {
      for (let seed = 0; seed < 12; seed++) {
        const s = scene(seed, style, seed % 2 === 0 ? 1 : 2);
        const { image, boxes } = await render(s, 320, 240);
        s.objects.forEach((object, i) => {
          const [colour, share] = dominantObjectColour(image, boxes[i]!, s.background);
          expect(colour).toBe(object.colour);
          expect(share).toBeGreaterThan(style === 'outlined' ? 0.08 : 0.2);
        });
        for (const [x, y] of [
          [0, 0],
          [319, 0],
          [0, 239],
          [319, 239],
        ] as const)
          expect(nearestColour(pixelAt(image, x, y))).toBe(s.background);
      }
    },
  );

  it('gives boxes that fit the painted pixels after rotation', async () => {
    for (let seed = 0; seed < 10; seed++) {
      const s = scene(seed, 'plain');
      const { image, boxes } = await render(s, 300, 200);
      const painted = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x < image.width; x++) {
          if (nearestColour(pixelAt(image, x, y)) === s.background) continue;
          painted.left = Math.min(painted.left, x);
          painted.top = Math.min(painted.top, y);
          painted.right = Math.max(painted.right, x + 1);
          painted.bottom = Math.max(painted.bottom, y + 1);
        }
      }
      const box = boxes[0]!;
      expect(Math.abs(painted.left - box.x)).toBeLessThanOrEqual(2);
      expect(Math.abs(painted.top - box.y)).toBeLessThanOrEqual(2);
      expect(Math.abs(painted.right - (box.x + box.width))).toBeLessThanOrEqual(2);
      expect(Math.abs(painted.bottom - (box.y + box.height))).toBeLessThanOrEqual(2);
    }
  });

  it('renders grayscale with near-zero saturation', async () => {
    for (let seed = 0; seed < 4; seed++) {
      const s = scene(seed, 'grayscale', 2);
      const grey = await render(s);
      const plain = await render({ ...s, style: 'plain' });
      expect(meanSaturation(grey.image)).toBeLessThan(0.02);
      expect(meanSaturation(plain.image)).toBeGreaterThan(0.1);
    }
  });

  it('renders sepia with red ≥ green ≥ blue everywhere', async () => {
    const { image } = await render(scene(5, 'sepia', 2));
    for (let p = 0; p < image.data.length; p += 3) {
      expect(image.data[p]!).toBeGreaterThanOrEqual(image.data[p + 1]!);
      expect(image.data[p + 1]!).toBeGreaterThanOrEqual(image.data[p + 2]!);
    }
  });

  it('blurs: less edge energy than the same scene plain', async () => {
    for (let seed = 0; seed < 4; seed++) {
      const s = scene(seed, 'blurred', 2);
      const blurred = edgeEnergy((await render(s)).image);
      const plain = edgeEnergy((await render({ ...s, style: 'plain' })).image);
      expect(blurred).toBeLessThan(plain * 0.5);
    }
  });

  it('adds seeded noise: more edge energy than plain, the same on every render', async () => {
    const s = scene(3, 'noisy');
    const first = await renderScene(s, { width: 128, height: 96 });
    const again = await renderScene(s, { width: 128, height: 96 });
    expect(first.bytes.equals(again.bytes)).toBe(true);
    const plain = edgeEnergy((await render({ ...s, style: 'plain' }, 128, 96)).image);
    expect(edgeEnergy(await decodeRgb(first.bytes))).toBeGreaterThan(plain * 4);
  });

  it('pixelates: colour changes only on a coarse grid of columns', async () => {
    const changingColumns = (image: RgbImage): number => {
      const columns = new Set<number>();
      for (let y = 0; y < image.height; y++) {
        for (let x = 0; x + 1 < image.width; x++) {
          if (pixelAt(image, x, y).join() !== pixelAt(image, x + 1, y).join()) columns.add(x);
        }
      }
      return columns.size;
    };
    const s = scene(6, 'pixelated', 2);
    // 256 px in blocks of 8: at most 32 block edges.
    expect(changingColumns((await render(s)).image)).toBeLessThanOrEqual(32);
    expect(changingColumns((await render({ ...s, style: 'plain' })).image)).toBeGreaterThan(60);
  });

  it('is deterministic: the same scene gives identical bytes', async () => {
    for (const style of ['plain', 'striped', 'noisy', 'pixelated', 'blurred'] as const) {
      const s = scene(11, style, 2);
      const [a, b] = await Promise.all([
        renderScene(s, { width: 200, height: 150 }),
        renderScene(s, { width: 200, height: 150 }),
      ]);
      expect(a.bytes.equals(b.bytes)).toBe(true);
    }
  });

  it.each([
    [32, 32],
    [640, 480],
    [480, 640],
    [2048, 2048],
  ])('renders at %i×%i', async (width, height) => {
    const s = scene(2, width === 2048 ? 'striped' : 'plain', 2);
    const rendered = await renderScene(s, { width, height });
    expect(rendered.mimeType).toBe('image/png');
    expect([rendered.width, rendered.height]).toEqual([width, height]);
    const image = await decodeRgb(rendered.bytes);
    expect([image.width, image.height]).toEqual([width, height]);
    expect(rendered.boxes).toHaveLength(2);
    s.objects.forEach((object, i) => {
      const box = rendered.boxes[i]!;
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      expect(dominantObjectColour(image, box, s.background)[0]).toBe(object.colour);
    });
  });

  it('encodes JPEG on request', async () => {
    const rendered = await renderScene(scene(1, 'plain'), { width: 120, height: 90, format: 'jpeg' });
    expect(rendered.mimeType).toBe('image/jpeg');
    expect([...rendered.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const image = await decodeRgb(rendered.bytes);
    expect([image.width, image.height]).toEqual([120, 90]);
  });

  it('renders an empty scene as its background, styled', async () => {
    const empty: Scene = { ...scene(4, 'plain'), objects: [], relation: null };
    const { image, boxes } = await render(empty, 64, 48);
    expect(boxes).toEqual([]);
    expect(colourCounts(image, { x: 0, y: 0, width: 64, height: 48 })).toEqual(
      new Map([[empty.background, 64 * 48]]),
    );
    const noisy = await renderScene({ ...empty, style: 'noisy' }, { width: 64, height: 48 });
    expect(noisy.boxes).toEqual([]);
  });

  it('refuses sizes it cannot draw', async () => {
    await expect(renderScene(scene(1, 'plain'), { width: 8, height: 64 })).rejects.toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
    await expect(renderScene(scene(1, 'plain'), { width: 64.5, height: 64 })).rejects.toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST' }),
    );
  });
});
