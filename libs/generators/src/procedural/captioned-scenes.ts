import type { RgbImage } from '#clip';
import { canonicalCaption, captionsFor } from './captions.js';
import { sampleScene, type Split } from './dataset-sample.js';
import { deriveSeed, Random } from './random.js';
import { rasterizeScene } from './render-scene.js';

/** A picture of the procedural world with one true caption, grouped by its scene's canonical caption. */
export interface CaptionedScene {
  image: { rgb: RgbImage };
  caption: string;
  /** Scenes with the same canonical caption show the same thing: never a mismatched pair. */
  group: string;
}

/** Each scene is drawn at a random square size in this range; the engine preprocesses it. */
const RENDER_SIDES = [64, 256] as const;

/** Scenes rendered at once: rendering waits on libvips threads, so a few in flight keep the cores busy. */
const IN_FLIGHT = 16;

/**
 * Scene `index` of the seed (40 % with two objects, like the training data), paired with one of its
 * captions — a paraphrase or the canonical one. What `cli calibrate` measures a model's scores on
 * (split `train`: no combination the bundled model never saw; `heldout`: one in every scene).
 */
export async function captionedScene(
  seed: number,
  index: number,
  split: Split = 'train',
): Promise<CaptionedScene> {
  const rng = new Random(deriveSeed(seed, index));
  const scene = sampleScene(rng, { split, twoObjectFraction: 0.4 });
  const canonical = canonicalCaption(scene);
  const captions = [...captionsFor(scene, rng), canonical];
  const side = rng.int(...RENDER_SIDES);
  const { image } = await rasterizeScene(scene, side, side);
  return { image: { rgb: image }, caption: captions[rng.int(0, captions.length - 1)]!, group: canonical };
}

/** Scenes 0 … count − 1 of the seed, in order. */
export async function* captionedScenes(
  seed: number,
  count: number,
  split: Split = 'train',
): AsyncGenerator<CaptionedScene> {
  for (let start = 0; start < count; start += IN_FLIGHT) {
    const indices = Array.from({ length: Math.min(IN_FLIGHT, count - start) }, (_, k) => start + k);
    yield* await Promise.all(indices.map((i) => captionedScene(seed, i, split)));
  }
}
