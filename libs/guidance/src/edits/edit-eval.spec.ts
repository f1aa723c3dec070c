import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bundledModelDir, type ClipEngine, load } from '#clip';
import { procedural } from '#generators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deltaE2000, srgbToLab } from './delta-e.js';
import { DEFAULT_CRITERIA } from './edit-scores.js';
import { editImage, type EditResult } from './edit-search.js';
import type { RgbImage } from './image-io.js';
import {
  colourCounts,
  decodeRgb,
  edgeEnergy,
  meanSaturation,
  nearestColour,
  sceneImage,
} from './test-support/scenes.js';

/*
 * The proof that CLIP-steered edits do what they are asked and touch nothing else, judged from pixels, not
 * from CLIP: recolours of one object (its box's dominant colour, the background set aside, must be the
 * asked one; the background outside its box within mean CIEDE2000 5 of the source), recolours of the
 * background (its dominant colour the asked one; the object's own pixels within ΔE 5), black and white
 * (mean saturation near 0), blur (edge energy down), and instructions naming a shape the picture lacks
 * (not accepted). How often instructions no operator can follow are accepted is reported.
 * EDIT_EVAL_FULL=1 runs the full sample; EDIT_EVAL_MODEL=dir evaluates another export.
 */

const MODEL_DIR = process.env['EDIT_EVAL_MODEL'] || bundledModelDir();
const PRESENT = existsSync(join(MODEL_DIR, 'config.json'));
const FULL = process.env['EDIT_EVAL_FULL'] === '1';
const SAMPLE = FULL
  ? { recolours: 100, backgrounds: 50, styles: 50, absent: 50, impossible: 25 }
  : { recolours: 16, backgrounds: 8, styles: 12, absent: 12, impossible: 8 };
/** Kept: mean CIEDE2000 against the source under this (2.3 is a just-noticeable difference). */
const KEPT_DELTA_E = 5;
const SIZE = 256;
/** Black and white: mean HSV saturation at most this. */
const GREY_SATURATION = 0.05;
/** Blur: edge energy at most this share of the original's. */
const BLUR_EDGE_SHARE = 0.7;

const RECOLOUR_PHRASES = [
  (shape: string, colour: string) => `make the ${shape} ${colour}`,
  (shape: string, colour: string) => `turn the ${shape} ${colour}`,
  (shape: string, colour: string) => `paint the ${shape} ${colour}`,
  (shape: string, colour: string) => `change the colour of the ${shape} to ${colour}`,
];
const GREY_PHRASES = ['black and white', 'make it black and white', 'grayscale', 'monochrome please'];
const BLUR_PHRASES = ['blurred', 'blur it', 'make it blurry', 'out of focus'];
/** Instructions no operator can follow: how often they are accepted anyway is reported, not hidden. */
const IMPOSSIBLE = [
  'make it look like a dog',
  'add a cat',
  'make the circle a square',
  'add a hat',
  'make it happier',
];

interface Tally {
  passed: number;
  /** Edits that kept what the instruction did not name (pixels, mean ΔE under KEPT_DELTA_E). */
  kept: number;
  total: number;
  accepted: number;
  keptFloor: number;
  ms: number[];
}

const tally = (): Tally => ({ passed: 0, kept: 0, total: 0, accepted: 0, keptFloor: 0, ms: [] });

function count(t: Tally, result: EditResult, passed: boolean, ms: number, kept = true): void {
  t.total++;
  t.passed += passed ? 1 : 0;
  t.kept += kept ? 1 : 0;
  t.accepted += result.accepted ? 1 : 0;
  t.keptFloor += result.preservation >= DEFAULT_CRITERIA.preservationFloor ? 1 : 0;
  t.ms.push(ms);
}

function summary(name: string, t: Tally, check = 'pixel check'): string {
  const sorted = [...t.ms].sort((a, b) => a - b);
  const pct = (n: number) => `${((100 * n) / t.total).toFixed(1)}%`;
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return (
    `${name}: ${check} ${t.passed}/${t.total} (${pct(t.passed)}), rest kept ${pct(t.kept)}, accepted ${pct(t.accepted)}, ` +
    `floor held ${pct(t.keptFloor)}, ${mean.toFixed(0)} ms mean, ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms median`
  );
}

/** The most common colour outside every box: the background as the edit left it. */
function backgroundColour(
  image: RgbImage,
  boxes: readonly { x: number; y: number; width: number; height: number }[],
) {
  const counts = new Map<procedural.Colour, number>();
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (boxes.some((b) => x >= b.x && x < b.x + b.width && y >= b.y && y < b.y + b.height)) continue;
      const p = (y * image.width + x) * 3;
      const colour = nearestColour([image.data[p]!, image.data[p + 1]!, image.data[p + 2]!]);
      counts.set(colour, (counts.get(colour) ?? 0) + 1);
    }
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/** Mean CIEDE2000 between two same-sized pictures over the pixels `where` picks. */
function meanDeltaE(a: RgbImage, b: RgbImage, where: (x: number, y: number) => boolean): number {
  let [sum, n] = [0, 0];
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      if (!where(x, y)) continue;
      const p = (y * a.width + x) * 3;
      const lab = (d: Uint8Array) => srgbToLab(d[p]!, d[p + 1]!, d[p + 2]!);
      sum += deltaE2000(lab(a.data), lab(b.data));
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

type Box = { x: number; y: number; width: number; height: number };
const inBox = (b: Box, x: number, y: number, margin = 0) =>
  x >= b.x - margin && x < b.x + b.width + margin && y >= b.y - margin && y < b.y + b.height + margin;

/** A colour for the object other than its own and the background's, varied with the index. */
function askedColour(scene: procedural.Scene, i: number): procedural.Colour {
  const choices = procedural.COLOURS.filter((c) => c !== scene.objects[0]!.colour && c !== scene.background);
  return choices[i % choices.length]!;
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
}

describe.skipIf(!PRESENT)(
  `CLIP-steered edits, judged from pixels${PRESENT ? '' : ` (skipped: no CLIP export at ${MODEL_DIR})`}`,
  () => {
    let engine: ClipEngine;
    const report: string[] = [];

    beforeAll(async () => {
      engine = await load(MODEL_DIR, { intraOpNumThreads: 1 });
    });
    afterAll(async () => {
      console.log(
        `edit eval on ${MODEL_DIR} (${FULL ? 'full' : 'default'} sample):\n  ${report.join('\n  ')}`,
      );
      await engine?.dispose();
    });

    it(
      `recolours one object to the asked colour (${SAMPLE.recolours} scenes)`,
      { timeout: 1_800_000 },
      async () => {
        const t = tally();
        for (let i = 0; i < SAMPLE.recolours; i++) {
          const { scene, bytes, boxes } = await sceneImage({ objects: [{}], style: 'plain' }, 1000 + i, SIZE);
          const colour = askedColour(scene, i);
          const instruction = RECOLOUR_PHRASES[i % RECOLOUR_PHRASES.length]!(scene.objects[0]!.shape, colour);
          const [result, ms] = await timed(() => editImage(engine, bytes, instruction));
          const edited = await decodeRgb(result.bytes);
          const background = backgroundColour(edited, boxes);
          const counts = [...colourCounts(edited, boxes[0]!)].filter(([c]) => c !== background);
          const dominant = counts.sort((a, b) => b[1] - a[1])[0]?.[0];
          // Two pixels of margin: the shape's anti-aliased edge belongs to it.
          const kept = meanDeltaE(await decodeRgb(bytes), edited, (x, y) => !inBox(boxes[0]!, x, y, 2));
          count(t, result, dominant === colour, ms, kept < KEPT_DELTA_E);
        }
        report.push(summary('recolour', t));
        expect(t.passed / t.total).toBeGreaterThanOrEqual(0.92);
        expect(t.kept / t.total).toBeGreaterThanOrEqual(0.95);
        expect(t.keptFloor).toBe(t.total);
      },
    );

    it(
      `recolours the background, keeping the object (${SAMPLE.backgrounds} scenes)`,
      { timeout: 1_800_000 },
      async () => {
        const t = tally();
        for (let i = 0; i < SAMPLE.backgrounds; i++) {
          const { scene, bytes, boxes } = await sceneImage({ objects: [{}], style: 'plain' }, 4000 + i, SIZE);
          const colour = askedColour(scene, i);
          const [result, ms] = await timed(() => editImage(engine, bytes, `make the background ${colour}`));
          const [original, edited] = [await decodeRgb(bytes), await decodeRgb(result.bytes)];
          const object = scene.objects[0]!.colour;
          // The object's own pixels: those in its box that were its colour.
          const isObject = (x: number, y: number) =>
            inBox(boxes[0]!, x, y) &&
            nearestColour([...original.data.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3)]) === object;
          const kept = meanDeltaE(original, edited, isObject);
          count(t, result, backgroundColour(edited, boxes) === colour, ms, kept < KEPT_DELTA_E);
        }
        report.push(summary('background recolour', t));
        expect(t.passed / t.total).toBeGreaterThanOrEqual(0.9);
        expect(t.kept / t.total).toBeGreaterThanOrEqual(0.95);
      },
    );

    it(
      `does not accept recolouring a shape the picture lacks (${SAMPLE.absent} scenes)`,
      { timeout: 1_800_000 },
      async () => {
        const t = tally();
        for (let i = 0; i < SAMPLE.absent; i++) {
          const { scene, bytes } = await sceneImage({ objects: [{}], style: 'plain' }, 5000 + i, SIZE);
          const present = scene.objects[0]!.shape;
          const absent = procedural.SHAPES.filter((s) => s !== present)[i % (procedural.SHAPES.length - 1)]!;
          const instruction = RECOLOUR_PHRASES[i % RECOLOUR_PHRASES.length]!(absent, askedColour(scene, i));
          const [result, ms] = await timed(() => editImage(engine, bytes, instruction));
          count(t, result, !result.accepted, ms);
        }
        report.push(summary('absent part', t, 'not accepted'));
        expect(t.passed / t.total).toBeGreaterThanOrEqual(0.9);
      },
    );

    it(
      `makes pictures black and white, or blurred (${SAMPLE.styles} scenes)`,
      { timeout: 1_800_000 },
      async () => {
        const [grey, blur] = [tally(), tally()];
        for (let i = 0; i < SAMPLE.styles; i++) {
          const objects = i % 3 === 2 ? [{}, {}] : [{}];
          const { bytes } = await sceneImage({ objects, style: 'plain' }, 2000 + i, SIZE);
          const original = await decodeRgb(bytes);
          const asksGrey = i % 2 === 0;
          const phrases = asksGrey ? GREY_PHRASES : BLUR_PHRASES;
          const [result, ms] = await timed(() =>
            editImage(engine, bytes, phrases[(i >> 1) % phrases.length]!),
          );
          const edited = await decodeRgb(result.bytes);
          const passed = asksGrey
            ? meanSaturation(edited) <= GREY_SATURATION
            : edgeEnergy(edited) <= BLUR_EDGE_SHARE * edgeEnergy(original);
          count(asksGrey ? grey : blur, result, passed, ms);
        }
        report.push(summary('black and white', grey), summary('blur', blur));
        for (const t of [grey, blur]) {
          expect(t.passed / t.total).toBeGreaterThanOrEqual(0.9);
          expect(t.keptFloor).toBe(t.total);
        }
      },
    );

    it(
      `reports how often it accepts what no operator can do (${SAMPLE.impossible} scenes)`,
      { timeout: 1_800_000 },
      async () => {
        const t = tally();
        for (let i = 0; i < SAMPLE.impossible; i++) {
          const { bytes } = await sceneImage({ objects: [{}], style: 'plain' }, 3000 + i, SIZE);
          const [result, ms] = await timed(() =>
            editImage(engine, bytes, IMPOSSIBLE[i % IMPOSSIBLE.length]!),
          );
          count(t, result, !result.accepted, ms);
        }
        report.push(summary('impossible', t, 'refused'));
        expect(t.keptFloor).toBe(t.total);
      },
    );
  },
);
