import { bundledModelDir, type ClipEngine, DEFAULT_IMAGE_LIMITS, load } from '#clip';
import { automatic1111Plugin, DEFAULT_FAN_OUT, type ImageGenerator, openaiImagesPlugin } from '#generators';
import { type FakeUpstream, startFakeAutomatic1111, startFakeOpenAI } from '#generators/test-support';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editWithGenerators } from './generator-edits.js';
import { redCircle } from './test-support/scenes.js';

/*
 * Inpainting through real HTTP servers on 127.0.0.1 that speak the web UI's and OpenAI's APIs: the part the
 * instruction names is located with the bundled model, and the mask each upstream receives (in its own
 * convention) must cover the scene's true box of the circle (IoU ≥ 0.8); the answers are ranked by the
 * edit rule, whose outside change is measured on them.
 */

const API_KEY = 'sk-fakeKeyForInpainting';
let engine: ClipEngine;
let a1111: FakeUpstream;
let openai: FakeUpstream;
beforeAll(async () => {
  engine = await load(bundledModelDir(), { intraOpNumThreads: 1 });
  [a1111, openai] = await Promise.all([startFakeAutomatic1111(), startFakeOpenAI({ apiKey: API_KEY })]);
});
afterAll(async () => {
  await Promise.all([engine?.dispose(), a1111?.close(), openai?.close()]);
});

type Box = { x: number; y: number; width: number; height: number };

/** Bounding box of the pixels `editable` picks in a decoded mask. */
async function editableBox(png: Buffer, editable: (px: Buffer, i: number) => boolean): Promise<Box> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (!editable(data, (y * info.width + x) * info.channels)) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  return { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  const inter = Math.max(0, w) * Math.max(0, h);
  return inter / (a.width * a.height + b.width * b.height - inter);
}

async function formMask(upstream: FakeUpstream): Promise<Buffer> {
  const sent = upstream.requests[0]!;
  const form = await new Request('http://x/', {
    method: 'POST',
    headers: { 'content-type': sent.headers['content-type']! },
    body: sent.body,
  }).formData();
  return Buffer.from(await (form.get('mask') as File).arrayBuffer());
}

const cases: [string, () => ImageGenerator, () => Promise<Box>][] = [
  [
    'automatic1111 img2img (white = repaint)',
    () => automatic1111Plugin.create('sd', { baseUrl: a1111.url }, { env: {}, fetch }),
    async () => {
      const body = JSON.parse(a1111.requests[0]!.body.toString()) as { mask: string };
      return editableBox(Buffer.from(body.mask, 'base64'), (d, p) => d[p]! >= 128);
    },
  ],
  [
    'OpenAI /images/edits (transparent = edit)',
    () =>
      openaiImagesPlugin.create(
        'oai',
        { baseUrl: `${openai.url}/v1`, apiKey: API_KEY, model: 'gpt-image-1' },
        { env: {}, fetch },
      ),
    async () => editableBox(await formMask(openai), (d, p) => d[p + 3]! < 128),
  ],
];

describe('inpainting through generators', () => {
  it.each(cases)(
    '%s: gets the located circle’s mask, and the answers are ranked by the edit rule',
    { timeout: 120_000 },
    async (_, create, receivedBox) => {
      a1111.reset();
      openai.reset();
      const { bytes, boxes } = await redCircle(256);
      const result = await editWithGenerators(engine, [create()], bytes, 'make the circle green', {
        tries: 1,
        fanOut: { ...DEFAULT_FAN_OUT, imageLimits: DEFAULT_IMAGE_LIMITS },
      });
      expect(result.errors).toEqual([]);
      expect(result.area).toMatchObject({ source: 'located', part: 'circle' });
      const box = await receivedBox();
      expect(iou(box, boxes[0]!)).toBeGreaterThanOrEqual(0.8);
      expect(iou(box, result.area!.region)).toBeGreaterThanOrEqual(0.8);
      expect(result.area!.mask.mimeType).toBe('image/png');
      // The fakes answer a canned picture, whatever they are asked: a change outside the circle that the
      // rule must see and refuse.
      const [edit] = result.ranked;
      expect(edit!.outsideChange).toBeGreaterThan(2);
      expect(edit!.accepted).toBe(false);
    },
  );
});
