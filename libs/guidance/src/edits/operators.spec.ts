import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from './image-io.js';
import { applyOperations, applyToPixels } from './apply-operations.js';
import type { Operation } from './operator.js';
import { EditOperationError, OPERATORS } from './operator-registry.js';
import { MAX_OPERATIONS, validateOperations } from './validate-operations.js';
import {
  channelMeans,
  colourCounts,
  decodeRgb,
  edgeEnergy,
  meanSaturation,
  nearestColour,
  PARITY_DIR,
  redCircle,
  sceneImage,
  solid,
} from './test-support/scenes.js';

const photoJpeg = readFileSync(PARITY_DIR + 'images/landscape_640x480.jpg');
const rgbaPng = readFileSync(PARITY_DIR + 'images/rgba_256.png');

let scene: Awaited<ReturnType<typeof redCircle>>;
let pixels: RgbImage;
let photo: RgbImage;

beforeAll(async () => {
  scene = await redCircle();
  pixels = await decodeRgb(scene.bytes);
  photo = await decodeRgb(photoJpeg);
});

const op = (name: string, params: Operation['params'] = {}): Operation => ({ name, params });
const apply = (image: RgbImage, ...operations: Operation[]) => applyToPixels(image, operations);

function pixel(image: RgbImage, i = 0): number[] {
  return [...image.data.subarray(i * 3, i * 3 + 3)];
}

describe('operators', () => {
  it('declare parameters as data, with defaults and neutral settings inside their ranges', () => {
    expect(OPERATORS.map((o) => o.name)).toEqual([
      'hue',
      'recolour',
      'tint',
      'saturation',
      'brightness',
      'contrast',
      'gamma',
      'grayscale',
      'sepia',
      'warmth',
      'blur',
      'vignette-blur',
      'sharpen',
      'pixelate',
      'invert',
      'posterize',
      'noise',
    ]);
    for (const operator of OPERATORS) {
      for (const p of operator.params) {
        if (p.kind !== 'number') continue;
        expect(p.min, `${operator.name}.${p.name}`).toBeLessThan(p.max);
        for (const v of [p.default, p.neutral]) expect(v >= p.min && v <= p.max).toBe(true);
        if (p.log) expect(p.min).toBeGreaterThan(0);
      }
    }
  });

  it('each changes the pixels at the far end of its range', async () => {
    for (const operator of OPERATORS) {
      const params: Record<string, number | string> = {};
      for (const p of operator.params) {
        if (p.kind === 'colour') params[p.name] = p.role === 'source' ? '#d72323' : 'green';
        else if (p.tuned !== false) params[p.name] = p.neutral - p.min > p.max - p.neutral ? p.min : p.max;
      }
      const out = await apply(pixels, op(operator.name, params));
      expect(Buffer.compare(out.data, pixels.data), operator.name).not.toBe(0);
      expect([out.width, out.height]).toEqual([pixels.width, pixels.height]);
    }
  });

  it('leaves the image exactly as it is at their identity settings', async () => {
    const identities: Operation[] = [
      op('hue', { degrees: 0 }),
      op('saturation', { factor: 1 }),
      op('brightness', { factor: 1 }),
      op('contrast', { factor: 1 }),
      op('gamma', { gamma: 1 }),
      op('grayscale', { amount: 0 }),
      op('sepia', { amount: 0 }),
      op('warmth', { amount: 0 }),
      op('invert', { amount: 0 }),
      op('tint', { to: 'blue', amount: 0 }),
      op('recolour', { from: 'red', to: 'blue', amount: 0 }),
      op('noise', { amount: 0 }),
    ];
    for (const identity of identities) {
      expect(Buffer.compare((await apply(photo, identity)).data, photo.data), identity.name).toBe(0);
    }
  });

  it('hue rotation by 120° maps pure red to green and by -120° to blue', async () => {
    expect(pixel(await apply(solid([255, 0, 0]), op('hue', { degrees: 120 })))).toEqual([0, 255, 0]);
    expect(pixel(await apply(solid([255, 0, 0]), op('hue', { degrees: -120 })))).toEqual([0, 0, 255]);
    expect(pixel(await apply(solid([128, 128, 128]), op('hue', { degrees: 77 })))).toEqual([128, 128, 128]);
    const circle = await apply(pixels, op('hue', { degrees: 120 }));
    const counts = colourCounts(circle, scene.boxes[0]!);
    counts.delete('white');
    expect([...counts].sort((a, b) => b[1] - a[1])[0]![0]).toBe('green');
  });

  it('grayscale at 1 leaves no saturation; at 0.5 about half', async () => {
    const before = meanSaturation(photo);
    expect(meanSaturation(await apply(photo, op('grayscale', { amount: 1 })))).toBeLessThan(0.005);
    const half = meanSaturation(await apply(photo, op('grayscale', { amount: 0.5 })));
    expect(half).toBeGreaterThan(before * 0.3);
    expect(half).toBeLessThan(before * 0.7);
    expect(meanSaturation(await apply(photo, op('saturation', { factor: 0 })))).toBeLessThan(0.005);
    expect(meanSaturation(await apply(photo, op('saturation', { factor: 2 })))).toBeGreaterThan(before * 1.3);
  });

  it('invert twice is the identity, and once maps v to 255 - v', async () => {
    const once = await apply(photo, op('invert'));
    expect(once.data[0]).toBe(255 - photo.data[0]!);
    const twice = await apply(photo, op('invert'), op('invert'));
    expect(Buffer.compare(twice.data, photo.data)).toBe(0);
  });

  it('blur lowers edge energy, the more the larger the radius; sharpen raises it', async () => {
    const before = edgeEnergy(photo);
    const light = edgeEnergy(await apply(photo, op('blur', { radius: 0.004 })));
    const heavy = edgeEnergy(await apply(photo, op('blur', { radius: 0.03 })));
    expect(light).toBeLessThan(before * 0.8);
    expect(heavy).toBeLessThan(light * 0.5);
    expect(edgeEnergy(await apply(photo, op('sharpen', { amount: 4 })))).toBeGreaterThan(before * 1.2);
  });

  it('vignette-blur keeps the centre and softens the edges', async () => {
    const out = await apply(photo, op('vignette-blur', { radius: 0.03, focus: 0.35 }));
    const centre = ((photo.height / 2) * photo.width + photo.width / 2) * 3;
    expect(pixel(out, centre / 3)).toEqual(pixel(photo, centre / 3));
    const strip = (image: RgbImage): RgbImage => ({
      data: image.data.subarray(0, image.width * 20 * 3),
      width: image.width,
      height: 20,
    });
    expect(edgeEnergy(strip(out))).toBeLessThan(edgeEnergy(strip(photo)) * 0.5);
  });

  it('pixelate fills blocks of shorter-side / blocks pixels with one colour, at any size', async () => {
    for (const image of [
      photo,
      await sharp(photoJpeg)
        .resize(320, 240)
        .raw()
        .toBuffer({ resolveWithObject: true })
        .then(({ data, info }) => ({ data, width: info.width, height: info.height })),
    ]) {
      const out = await apply(image, op('pixelate', { blocks: 16 }));
      const block = Math.round(Math.min(image.width, image.height) / 16);
      for (let y = 0; y < out.height; y++) {
        for (let x = 0; x < out.width; x++) {
          const topLeft = (y - (y % block)) * out.width + (x - (x % block));
          expect(pixel(out, y * out.width + x)).toEqual(pixel(out, topLeft));
        }
      }
    }
  });

  it('sepia gives warm tones, warmth shifts red against blue', async () => {
    const sepia = await apply(photo, op('sepia'));
    for (let i = 0; i < sepia.data.length; i += 3) {
      expect(sepia.data[i]! >= sepia.data[i + 1]! && sepia.data[i + 1]! >= sepia.data[i + 2]!).toBe(true);
    }
    const [r0, g0, b0] = channelMeans(photo);
    const [r1, g1, b1] = channelMeans(await apply(photo, op('warmth', { amount: 0.5 })));
    expect(r1 - r0).toBeGreaterThan(20);
    expect(b0 - b1).toBeGreaterThan(20);
    expect(g1).toBeCloseTo(g0, 6);
  });

  it('brightness, contrast and gamma move levels as they say', async () => {
    const grey = solid([100, 100, 100]);
    expect(pixel(await apply(grey, op('brightness', { factor: 2 })))).toEqual([200, 200, 200]);
    expect(pixel(await apply(grey, op('contrast', { factor: 3 })))).toEqual([45, 45, 45]);
    expect(pixel(await apply(grey, op('gamma', { gamma: 2 })))[0]).toBe(Math.round(255 * (100 / 255) ** 0.5));
    const ends = { data: Uint8Array.from([0, 0, 0, 255, 255, 255]), width: 2, height: 1 };
    expect([...(await apply(ends, op('gamma', { gamma: 3 }))).data]).toEqual([0, 0, 0, 255, 255, 255]);
  });

  it('posterize leaves only the allowed levels', async () => {
    const out = await apply(photo, op('posterize', { levels: 2 }));
    expect(new Set(out.data)).toEqual(new Set([0, 255]));
  });

  it('recolour changes the object and not the background; tint colours everything', async () => {
    const out = await apply(pixels, op('recolour', { from: '#d72323', to: 'green' }));
    const counts = colourCounts(out, scene.boxes[0]!);
    expect(counts.get('red') ?? 0).toBe(0);
    expect((counts.get('green') ?? 0) / (scene.boxes[0]!.width * scene.boxes[0]!.height)).toBeGreaterThan(
      0.6,
    );
    expect(pixel(out, 0)).toEqual(pixel(pixels, 0)); // the white corner
    const tinted = await apply(solid([200, 200, 200]), op('tint', { to: 'red', amount: 1 }));
    expect(nearestColour(pixel(tinted))).toBe('pink');
    expect(pixel(await apply(pixels, op('recolour', { from: 'blue', to: 'green' })), 0)).toEqual(
      pixel(pixels, 0),
    );
  });

  it('recolour of a background leaves no ring of the old colour around a blurred shape', async () => {
    // Blurring spreads the red/blue edge over tens of pixels, far past an anti-aliased pixel's neighbours.
    const blurred = await sceneImage(
      { objects: [{ colour: 'red', shape: 'diamond' }], background: 'blue', style: 'blurred' },
      7,
      512,
    );
    const before = await decodeRgb(blurred.bytes);
    const out = await apply(before, op('recolour', { from: '#2a50d4', to: 'green', tolerance: 40 }));
    const bluish = ({ data }: RgbImage): number => {
      let count = 0;
      for (let i = 0; i < data.length; i += 3)
        if (data[i + 2]! > data[i]! + 30 && data[i + 2]! > data[i + 1]! + 30) count++;
      return count;
    };
    expect(bluish(before)).toBeGreaterThan(0.5 * 512 * 512);
    expect(bluish(out)).toBeLessThan(0.001 * 512 * 512);
    expect(colourCounts(out, blurred.boxes[0]!).get('red') ?? 0).toBeGreaterThan(0); // the shape stays red
  });

  it('noise repeats for a seed and differs between seeds', async () => {
    const a = await apply(photo, op('noise', { amount: 0.5, seed: 7 }));
    const b = await apply(photo, op('noise', { amount: 0.5, seed: 7 }));
    const c = await apply(photo, op('noise', { amount: 0.5, seed: 8 }));
    expect(Buffer.compare(a.data, b.data)).toBe(0);
    expect(Buffer.compare(a.data, c.data)).not.toBe(0);
  });

  it('never change their input', async () => {
    const copy = Uint8Array.from(photo.data);
    for (const operator of OPERATORS.filter((o) => o.params.every((p) => p.kind === 'number'))) {
      await apply(photo, op(operator.name));
    }
    expect(Buffer.compare(copy, photo.data)).toBe(0);
  });
});

describe('applyOperations', () => {
  const chain: Operation[] = [
    op('recolour', { from: '#d72323', to: 'blue', amount: 0.8 }),
    op('blur', { radius: 0.01 }),
    op('contrast', { factor: 1.3 }),
    op('noise', { amount: 0.2, seed: 3 }),
  ];

  it('replays a chain to the same bytes every time, keeping PNG and JPEG', async () => {
    const [a, b] = [await applyOperations(scene.bytes, chain), await applyOperations(scene.bytes, chain)];
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
    expect(a).toMatchObject({ mimeType: 'image/png', width: 256, height: 256 });
    const jpeg = await applyOperations(photoJpeg, chain);
    expect(jpeg).toMatchObject({ mimeType: 'image/jpeg', width: 640, height: 480 });
    expect(Buffer.compare(jpeg.bytes, (await applyOperations(photoJpeg, chain)).bytes)).toBe(0);
  });

  it('keeps an alpha channel as it was', async () => {
    const out = await applyOperations(rgbaPng, [op('invert')]);
    const alpha = (bytes: Uint8Array) => sharp(bytes).extractChannel(3).raw().toBuffer();
    expect((await sharp(out.bytes).metadata()).channels).toBe(4);
    expect(Buffer.compare(await alpha(out.bytes), await alpha(rgbaPng))).toBe(0);
  });

  it('an empty chain re-encodes the same pixels', async () => {
    const out = await applyOperations(scene.bytes, []);
    expect(Buffer.compare((await decodeRgb(out.bytes)).data, pixels.data)).toBe(0);
  });

  it.each([
    [[op('blurr')], /unknown operator "blurr"; known: hue, recolour/],
    [[op('hue', { angle: 3 })], /hue has no parameter "angle"; its parameters: degrees/],
    [[op('blur', { radius: 0.5 })], /blur.radius must be between 0.002 and 0.06, got 0.5/],
    [[op('pixelate', { blocks: 7.5 })], /pixelate.blocks must be a whole number/],
    [[op('contrast', { factor: '2' })], /contrast.factor must be a finite number, got "2"/],
    [[op('tint', { amount: 1 })], /tint.to is required/],
    [[op('tint', { to: 'greenish' })], /tint.to must be a colour name .* or #rrggbb, got "greenish"/],
    [Array.from({ length: MAX_OPERATIONS + 1 }, () => op('invert')), /at most 16 operations/],
  ])('refuses a bad chain before decoding: %j', async (operations, message) => {
    expect(() => validateOperations(operations)).toThrow(message);
    await expect(applyOperations(new Uint8Array([1, 2, 3]), operations)).rejects.toThrow(message);
    await expect(applyOperations(new Uint8Array([1, 2, 3]), operations)).rejects.toBeInstanceOf(
      EditOperationError,
    );
  });

  it('accepts hex and named colours alike', async () => {
    const named = await applyOperations(scene.bytes, [op('tint', { to: 'green', amount: 0.5 })]);
    const hex = await applyOperations(scene.bytes, [op('tint', { to: '#23A037', amount: 0.5 })]);
    expect(Buffer.compare(named.bytes, hex.bytes)).toBe(0);
  });
});
