import sharp from 'sharp';
import { centreCrop, resampleRgb, type RgbImage, shortestEdgeSize } from '#clip';
import { canonicalCaption, captionsFor } from './captions.js';
import { deriveSeed, Random } from './random.js';
import { rasterizeScene } from './render-scene.js';
import { realizeScene, type Scene, type SceneRequest } from './scene.js';
import { HELD_OUT, isHeldOut } from './vocabulary.js';

/** train never shows a HELD_OUT pair; heldout shows at least one in every scene. */
export type Split = 'train' | 'heldout';

export interface SampleOptions {
  /** The dataset's seed: sample i depends only on (seed, i), so any order or concurrency gives the same data. */
  seed: number;
  imageSize: number;
  split: Split;
  twoObjectFraction: number;
  jpegFraction: number;
  colourShiftFraction: number;
}

/** How the sample's picture was made before it was resized to the model's input. */
export interface RenderRecord {
  width: number;
  height: number;
  /** Quality of the JPEG round trip, or null when there was none. */
  jpegQuality: number | null;
  /** Per-channel gain and offset applied as a slight colour shift, or null. */
  colourShift: { gain: [number, number, number]; offset: [number, number, number] } | null;
}

export interface SampleRecord {
  index: number;
  captions: string[];
  canonical: string;
  scene: Scene;
  render: RenderRecord;
}

export interface Sample {
  /** imageSize × imageSize × 3 RGB, row-major. */
  pixels: Uint8Array;
  record: SampleRecord;
}

/** Share of renders given a non-square canvas, and its longest aspect ratio. */
const NON_SQUARE_FRACTION = 0.3;
const MAX_ASPECT = 1.6;

/**
 * One training sample: a scene drawn faithfully (fidelity 1, so the captions are true), rendered at a
 * random size between imageSize and 4 × imageSize, sometimes non-square, sometimes shifted in colour and
 * JPEG-compressed, then resized exactly as the CLIP engine preprocesses.
 */
export async function makeSample(index: number, options: SampleOptions): Promise<Sample> {
  const rng = new Random(deriveSeed(options.seed, index));
  const scene = sampleScene(rng, options);
  const side = rng.int(options.imageSize, 4 * options.imageSize);
  const long = rng.chance(NON_SQUARE_FRACTION) ? Math.round(side * rng.range(1, MAX_ASPECT)) : side;
  const [width, height] = rng.chance(0.5) ? [long, side] : [side, long];
  let { image } = await rasterizeScene(scene, width, height);
  const colourShift = rng.chance(options.colourShiftFraction) ? shiftColours(image, rng) : null;
  const jpegQuality = rng.chance(options.jpegFraction) ? rng.int(40, 95) : null;
  if (jpegQuality !== null) image = await jpegRoundTrip(image, jpegQuality);
  return {
    pixels: toModelInput(image, options.imageSize),
    record: {
      index,
      captions: captionsFor(scene, rng),
      canonical: canonicalCaption(scene),
      scene,
      render: { width, height, jpegQuality, colourShift },
    },
  };
}

/** A faithful scene of the split: the train split never holds a HELD_OUT pair, the heldout split always does. */
export function sampleScene(rng: Random, options: Pick<SampleOptions, 'split' | 'twoObjectFraction'>): Scene {
  const count = rng.chance(options.twoObjectFraction) ? 2 : 1;
  const request: SceneRequest = { objects: Array.from({ length: count }, () => ({})) };
  if (options.split === 'train') {
    // Held-out pairs are rare among random scenes, so redrawing is cheap.
    for (;;) {
      const scene = realizeScene(request, { seed: rng.uint32(), fidelity: 1 });
      if (!isHeldOut(scene)) return scene;
    }
  }
  // Plant one held-out pair, chosen uniformly, on a random object; the rest stays random.
  const pairs = HELD_OUT.colourShape.length + HELD_OUT.colourBackground.length;
  const pick = rng.int(0, pairs - 1);
  const target = request.objects[rng.int(0, count - 1)]!;
  const colourShape = HELD_OUT.colourShape[pick];
  if (colourShape) [target.colour, target.shape] = colourShape;
  else [target.colour, request.background] = HELD_OUT.colourBackground[pick - HELD_OUT.colourShape.length]!;
  return realizeScene(request, { seed: rng.uint32(), fidelity: 1 });
}

/** A slight per-channel gain and offset, as a camera's white balance might add. */
function shiftColours(image: RgbImage, rng: Random): RenderRecord['colourShift'] {
  const gain = [0, 1, 2].map(() => Math.round(rng.range(0.92, 1.08) * 1000) / 1000) as [
    number,
    number,
    number,
  ];
  const offset = [0, 1, 2].map(() => rng.int(-10, 10)) as [number, number, number];
  const { data } = image;
  for (let p = 0; p < data.length; p += 3) {
    for (let c = 0; c < 3; c++)
      data[p + c] = Math.min(255, Math.max(0, Math.round(data[p + c]! * gain[c]! + offset[c]!)));
  }
  return { gain, offset };
}

async function jpegRoundTrip(image: RgbImage, quality: number): Promise<RgbImage> {
  const raw = { width: image.width, height: image.height, channels: 3 } as const;
  const jpeg = await sharp(image.data, { raw }).jpeg({ quality }).toBuffer();
  const { data, info } = await sharp(jpeg).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`JPEG decoded to ${info.channels} channels instead of 3`);
  return { data, width: info.width, height: info.height };
}

/**
 * What ClipEngine's exact preprocessing makes of the image (libs/clip image-preprocessor.ts): the shortest
 * edge resized to `size` with antialiased bicubic, long edge floor(size · long / short), centre crop at
 * floor((resized − size) / 2). A spec checks it against ImagePreprocessor pixel for pixel.
 */
export function toModelInput(image: RgbImage, size: number): Uint8Array {
  const resized = shortestEdgeSize(image.width, image.height, size);
  const window = centreCrop(resized, { width: size, height: size });
  return resampleRgb(image, resized.width, resized.height, window, 'bicubic').data;
}
