import { readFile } from 'node:fs/promises';
import { DEFAULT_IMAGE_LIMITS, decodeRgb, type RgbImage } from '#clip';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagePath } from '#clip/test-support';
import { estimateBackground, foregroundComponents } from './foreground.js';
import { starAndCircle } from './test-support/star-and-circle.js';
import { intersectionOverUnion } from './windows.js';

let drawn: Awaited<ReturnType<typeof starAndCircle>>;
let image: RgbImage;
let photo: RgbImage;
beforeAll(async () => {
  drawn = await starAndCircle();
  image = drawn.image;
  photo = await decodeRgb(await readFile(imagePath('landscape_640x480.jpg')), DEFAULT_IMAGE_LIMITS);
});

const whole = (i: RgbImage) => ({ x: 0, y: 0, width: i.width, height: i.height });

describe('estimateBackground', () => {
  it("finds a plain ground's colour, even where the border crosses an object", () => {
    const ground = estimateBackground(image, whole(image), 40);
    expect(ground.colour).toEqual([...drawn.scene.backgroundRgb]);
    expect(ground.share).toBe(1);
    // A box whose border runs through the star: the ground is still the commonest colour.
    const star = drawn.boxes[0]!;
    const across = { x: star.x + star.width / 2, y: 0, width: 256 - star.x - star.width / 2, height: 256 };
    const crossed = estimateBackground(
      image,
      { ...across, x: Math.round(across.x), width: Math.round(across.width) },
      40,
    );
    expect(crossed.colour).toEqual([...drawn.scene.backgroundRgb]);
    expect(crossed.share).toBeGreaterThan(0.8);
    expect(crossed.share).toBeLessThan(1);
  });

  it('says when there is no plain ground (a busy photograph)', () => {
    expect(estimateBackground(photo, whole(photo), 40).share).toBeLessThan(0.5);
  });
});

describe('foregroundComponents', () => {
  it("traces each object as one component whose box is the renderer's", () => {
    const ground = estimateBackground(image, whole(image), 40).colour;
    const components = foregroundComponents(image, whole(image), ground, 40, 4);
    expect(components).toHaveLength(2);
    for (const truth of drawn.boxes) {
      const best = Math.max(...components.map((c) => intersectionOverUnion(c.box, truth)));
      expect(best).toBeGreaterThan(0.95);
    }
    for (const c of components) expect(c.pixels.length).toBeLessThanOrEqual(c.box.width * c.box.height);
  });

  it('stays inside the area it is given and drops components under the least size', () => {
    const ground = estimateBackground(image, whole(image), 40).colour;
    const star = drawn.boxes[0]!;
    const left = { x: 0, y: 0, width: star.x + Math.round(star.width / 2), height: 256 };
    const [half] = foregroundComponents(image, left, ground, 40, 4);
    expect(half!.box.x + half!.box.width).toBeLessThanOrEqual(left.width);
    expect(half!.box.width).toBeLessThan(star.width);
    expect(foregroundComponents(image, whole(image), ground, 40, 256 * 256)).toEqual([]);
  });
});
