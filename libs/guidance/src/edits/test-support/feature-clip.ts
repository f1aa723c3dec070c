import sharp from 'sharp';
import { type ImageInput, isVerifiedImage, l2Normalize } from '#clip';
import type { ClipPort } from '../../clip-port.js';
import type { RgbImage } from '../image-io.js';

/**
 * A stand-in for CLIP whose axes are named pixel statistics, so a test can say what an edit must do to
 * an embedding: `green` rises when pixels turn green, `colourful` falls with saturation, `sharp` with blur.
 * `cat` and `dog` are never seen in an image: no edit can move along them. Every text and image has the
 * `picture` axis, so embeddings are never null. It counts the images it embeds.
 */
const AXES = ['red', 'green', 'blue', 'colourful', 'sharp', 'bright', 'cat', 'dog', 'picture'] as const;
type Axis = (typeof AXES)[number];

const WORDS: Readonly<Record<string, Partial<Record<Axis, number>>>> = {
  red: { red: 1 },
  green: { green: 1 },
  blue: { blue: 1 },
  yellow: { red: 1, green: 1 },
  grayscale: { colourful: -1 },
  vivid: { colourful: 1 },
  blurred: { sharp: -1 },
  sharp: { sharp: 1 },
  bright: { bright: 1 },
  dark: { bright: -1 },
  cat: { cat: 1 },
  dog: { dog: 1 },
};

export class FeatureClip implements ClipPort {
  readonly info = { logitScale: 100, embeddingDim: AXES.length };
  /** Images embedded so far. */
  imagesEmbedded = 0;

  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    return texts.map((text) => {
      const v = vector({ picture: 1 });
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        for (const [axis, weight] of Object.entries(WORDS[word] ?? {}))
          v[AXES.indexOf(axis as Axis)]! += weight;
      }
      return l2Normalize(v);
    });
  }

  async embedImages(images: readonly ImageInput[]): Promise<Float32Array[]> {
    this.imagesEmbedded += images.length;
    return Promise.all(images.map(async (image) => l2Normalize(features(await pixelsOf(image)))));
  }
}

function vector(values: Partial<Record<Axis, number>>): Float32Array {
  return Float32Array.from(AXES, (axis) => values[axis] ?? 0);
}

async function pixelsOf(image: ImageInput): Promise<RgbImage> {
  if (image instanceof Uint8Array) {
    const { data, info } = await sharp(image).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  }
  if (isVerifiedImage(image)) return image.pixels.rgb;
  if ('rgb' in image) return image.rgb;
  throw new Error('FeatureClip takes bytes, pixels or a verified image');
}

function features({ data, width, height }: RgbImage): Float32Array {
  const n = width * height;
  const cast = [0, 0, 0];
  let saturation = 0;
  let brightness = 0;
  let edges = 0;
  for (let i = 0; i < n; i++) {
    const [r, g, b] = [data[i * 3]!, data[i * 3 + 1]!, data[i * 3 + 2]!];
    const mean = (r + g + b) / 3;
    [r, g, b].forEach((v, c) => (cast[c]! += (v - mean) / 255));
    const max = Math.max(r, g, b);
    saturation += max === 0 ? 0 : (max - Math.min(r, g, b)) / max;
    brightness += mean / 255;
    if ((i + 1) % width !== 0)
      for (let c = 0; c < 3; c++) edges += (data[i * 3 + c]! - data[i * 3 + 3 + c]!) ** 2;
  }
  return vector({
    red: (3 * cast[0]!) / n,
    green: (3 * cast[1]!) / n,
    blue: (3 * cast[2]!) / n,
    colourful: saturation / n,
    sharp: Math.sqrt(edges / n) / 32,
    bright: brightness / n,
    picture: 1,
  });
}
