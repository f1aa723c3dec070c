import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_IMAGE_LIMITS, ImagePreprocessor, type PreprocessConfig } from '#clip';
import { writeDataset } from './dataset.js';
import { makeSample, type SampleOptions, type SampleRecord, toModelInput } from './dataset-sample.js';
import { rasterizeScene, renderScene } from './render-scene.js';
import { realizeScene } from './scene.js';
import { HELD_OUT, isHeldOut } from './vocabulary.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'clipsmith-dataset-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

const SAMPLE_OPTIONS: SampleOptions = {
  seed: 1,
  imageSize: 32,
  split: 'train',
  twoObjectFraction: 0.4,
  jpegFraction: 0.25,
  colourShiftFraction: 0.25,
};

async function records(split: SampleOptions['split'], count: number): Promise<SampleRecord[]> {
  const options = { ...SAMPLE_OPTIONS, imageSize: 16, split };
  return Promise.all(Array.from({ length: count }, (_, i) => makeSample(i, options).then((s) => s.record)));
}

function readJsonl(text: string): SampleRecord[] {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as SampleRecord);
}

describe('writeDataset', () => {
  it('writes images.u8, captions.jsonl, meta.json and sample PNGs of the right sizes', async () => {
    const out = await tempDir();
    const summary = await writeDataset({ out, count: 20, imageSize: 32, seed: 3 });
    expect(summary.count).toBe(20);
    expect(summary.imagesPerSecond).toBeGreaterThan(0);

    const images = await readFile(join(out, 'images.u8'));
    expect(images.byteLength).toBe(20 * 32 * 32 * 3);
    const lines = readJsonl(await readFile(join(out, 'captions.jsonl'), 'utf8'));
    expect(lines.map((l) => l.index)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    for (const line of lines) {
      expect(new Set(line.captions).size).toBeGreaterThanOrEqual(5);
      expect(line.canonical).toMatch(/background/);
      expect(line.scene.objects.length).toBeGreaterThan(0);
    }
    const meta = JSON.parse(await readFile(join(out, 'meta.json'), 'utf8')) as Record<string, unknown>;
    expect(meta).toMatchObject({ count: 20, imageSize: 32, seed: 3, split: 'train', heldOut: HELD_OUT });
    expect(meta['vocabulary']).toMatchObject({ shapes: expect.arrayContaining(['heart']) });

    const samples = (await readdir(join(out, 'samples'))).sort();
    expect(samples).toHaveLength(16);
    // Each sample PNG is exactly the matching image of images.u8.
    for (const [i, name] of samples.entries()) {
      const { data, info } = await sharp(join(out, 'samples', name))
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([32, 32, 3]);
      expect(data.equals(images.subarray(i * 3072, (i + 1) * 3072))).toBe(true);
    }
  });

  it('writes the same bytes whatever the number of renders in flight', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await writeDataset({ out: a, count: 12, imageSize: 24, seed: 5, inFlight: 1 });
    await writeDataset({ out: b, count: 12, imageSize: 24, seed: 5, inFlight: 6 });
    for (const file of ['images.u8', 'captions.jsonl']) {
      expect((await readFile(join(a, file))).equals(await readFile(join(b, file)))).toBe(true);
    }
  });

  it('refuses nonsense options', async () => {
    const BAD_REQUEST = expect.objectContaining({ code: 'BAD_REQUEST' });
    const out = await tempDir();
    await expect(writeDataset({ out, count: 0, imageSize: 32, seed: 1 })).rejects.toThrow(BAD_REQUEST);
    await expect(writeDataset({ out, count: 5, imageSize: 8, seed: 1 })).rejects.toThrow(BAD_REQUEST);
    await expect(writeDataset({ out, count: 5, imageSize: 32, seed: 1, jpegFraction: 2 })).rejects.toThrow(
      BAD_REQUEST,
    );
  });
});

describe('makeSample', () => {
  it('never puts a held-out combination in the train split', async () => {
    const train = await records('train', 400);
    expect(train.filter((r) => isHeldOut(r.scene))).toEqual([]);
    // The split still shows every colour and shape, just never in the held-out pairs.
    expect(new Set(train.flatMap((r) => r.scene.objects.map((o) => o.shape))).size).toBe(8);
  });

  it('puts at least one held-out combination in every heldout scene, covering all of them', async () => {
    const heldout = await records('heldout', 400);
    expect(heldout.filter((r) => !isHeldOut(r.scene))).toEqual([]);
    const seen = new Set(
      heldout.flatMap((r) =>
        r.scene.objects.flatMap((o) => [`${o.colour}/${o.shape}`, `${o.colour}/${r.scene.background}`]),
      ),
    );
    for (const pair of [...HELD_OUT.colourShape, ...HELD_OUT.colourBackground])
      expect(seen).toContain(pair.join('/'));
  });

  it('varies render size, aspect ratio and augmentation', async () => {
    const train = await records('train', 200);
    const sizes = train.map((r) => Math.min(r.render.width, r.render.height));
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(16);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64);
    const share = (f: (r: SampleRecord) => boolean): number => train.filter(f).length / train.length;
    expect(share((r) => r.render.width !== r.render.height)).toBeGreaterThan(0.15);
    expect(share((r) => r.render.jpegQuality !== null)).toBeGreaterThan(0.12);
    expect(share((r) => r.render.colourShift !== null)).toBeGreaterThan(0.12);
    expect(share((r) => r.scene.objects.length === 2)).toBeGreaterThan(0.3);
  });
});

describe('toModelInput', () => {
  const config: PreprocessConfig = {
    resize: { shortestEdge: 64 },
    crop: { height: 64, width: 64 },
    resample: 3,
    rescaleFactor: null,
    mean: null,
    std: null,
  };
  const engine = new ImagePreprocessor(config, DEFAULT_IMAGE_LIMITS, 'exact');

  it.each([
    [64, 64],
    [200, 200],
    [256, 163],
    [97, 250],
  ])('matches ClipEngine preprocessing pixel for pixel for a %i×%i render', async (width, height) => {
    const scene = realizeScene({ objects: [{}, {}], style: 'striped' }, { seed: width, fidelity: 1 });
    const { image } = await rasterizeScene(scene, width, height);
    const png = (await renderScene(scene, { width, height })).bytes;
    // Without rescale or normalisation the engine's tensor holds the 8-bit values themselves, channel-planar.
    const planar = await engine.pixelValues(png);
    const ours = toModelInput(image, 64);
    const plane = 64 * 64;
    const interleaved = Uint8Array.from(
      { length: 3 * plane },
      (_, i) => planar[(i % 3) * plane + Math.floor(i / 3)]!,
    );
    expect(Buffer.from(ours).equals(Buffer.from(interleaved))).toBe(true);
  });
});
