import sharp, { type KernelEnum, type Sharp } from 'sharp';
import { type AntialiasFilter, type OutputWindow, resampleRgb } from './antialias-resample.js';
import type { RgbImage } from './rgb-image.js';
import { noteDecode } from './decode-events.js';
import { ModelLoadError } from './errors.js';
import {
  asImageError,
  decodeRgb,
  type ImageInfo,
  type ImageInput,
  type ImageLimits,
  probeImage,
  loadImageInput,
  openImage,
  type LoadedImage,
} from './image-probe.js';
import { modelInputSize, type PreprocessConfig } from './model-config.js';
import { shrinkOnLoadRgb, shrinkOnLoadSize } from './jpeg-shrink-on-load.js';
import { centreCrop, shortestEdgeSize } from './resize-geometry.js';

/**
 * How images are resized: `exact` reproduces transformers bit for bit; `fast` decodes large JPEGs at a
 * smaller DCT scale before the exact resample (jpeg-shrink-on-load.ts), and resizes others with libvips.
 */
export const RESIZE_MODES = ['exact', 'fast'] as const;
export type ResizeMode = (typeof RESIZE_MODES)[number];

/** PIL resample codes the exact resampler implements. */
const EXACT_FILTERS: Readonly<Partial<Record<number, AntialiasFilter>>> = { 2: 'bilinear', 3: 'bicubic' };

/** libvips kernels for the fast path, by PIL resample code. */
const KERNELS: Readonly<Partial<Record<number, keyof KernelEnum>>> = {
  0: 'nearest',
  1: 'lanczos3',
  2: 'linear',
  3: 'cubic',
};

/**
 * Reproduces CLIPImageProcessor: sharp decodes (EXIF orientation applied: our one deliberate difference
 * from transformers, which ignores it), alpha is dropped and grey replicated, the shortest edge resized,
 * the centre cropped, and values rescaled and normalised into a CHW float32 tensor.
 */
export class ImagePreprocessor {
  readonly height: number;
  readonly width: number;
  private readonly kernel: keyof KernelEnum;
  private readonly scale: [number, number, number];
  private readonly offset: [number, number, number];

  constructor(
    private readonly config: PreprocessConfig,
    private readonly limits: ImageLimits,
    private readonly resizeMode: ResizeMode = 'exact',
  ) {
    ({ height: this.height, width: this.width } = modelInputSize(config));
    const kernel = KERNELS[config.resample];
    if (!kernel)
      throw new ModelLoadError(
        'MODEL_INVALID',
        `preprocessor_config.json: unknown resample ${config.resample}`,
      );
    this.kernel = kernel;
    // Fold rescale and normalisation into one multiply-add per channel: v * scale + offset.
    const rescale = config.rescaleFactor ?? 1;
    const mean = config.mean ?? [0, 0, 0];
    const std = config.std ?? [1, 1, 1];
    this.scale = [rescale / std[0], rescale / std[1], rescale / std[2]];
    this.offset = [-mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]];
  }

  /** Floats in one image's pixel_values: 3 × height × width. */
  get tensorSize(): number {
    return 3 * this.height * this.width;
  }

  /** Decodes (unless given pixels or a verified image) and preprocesses one image into `out` at `offset` (CHW). */
  async preprocess(loaded: LoadedImage, out: Float32Array, offset = 0): Promise<void> {
    let rgb: Uint8Array;
    try {
      rgb =
        'verified' in loaded
          ? await this.resizedFromPixels(loaded.verified.pixels.rgb)
          : 'rgb' in loaded
            ? await this.resizedFromPixels(loaded.rgb)
            : await this.resizedRgb(loaded.bytes, await probeImage(loaded.bytes, this.limits));
    } catch (cause) {
      throw asImageError(cause, this.limits);
    }
    this.writeChw(rgb, out, offset);
  }

  async pixelValues(input: ImageInput): Promise<Float32Array> {
    const out = new Float32Array(this.tensorSize);
    await this.preprocess(await loadImageInput(input, this.limits), out);
    return out;
  }

  private async resizedRgb(bytes: Uint8Array, info: ImageInfo): Promise<Uint8Array> {
    if (this.exactFilter) return this.resizedFromPixels(await decodeRgb(bytes, this.limits, 'preprocess'));
    const { resized, window } = this.geometry(info.width, info.height);
    const filter = EXACT_FILTERS[this.config.resample];
    const shrunk =
      info.format === 'jpeg' && filter
        ? shrinkOnLoadSize(info.width, info.height, Math.min(resized.width, resized.height))
        : null;
    if (shrunk) {
      noteDecode('preprocess');
      const rgb = await shrinkOnLoadRgb(bytes, shrunk, this.limits);
      return resampleRgb(rgb, resized.width, resized.height, window, filter!).data;
    }
    if (info.hasAlpha)
      return this.fastResize(
        await decodeRgb(bytes, this.limits, 'preprocess').then(rawSharp),
        resized,
        window,
      );
    noteDecode('preprocess');
    return this.fastResize(openImage(bytes, this.limits), resized, window);
  }

  private async resizedFromPixels(rgb: RgbImage): Promise<Uint8Array> {
    const { resized, window } = this.geometry(rgb.width, rgb.height);
    if (this.exactFilter)
      return resampleRgb(rgb, resized.width, resized.height, window, this.exactFilter).data;
    return this.fastResize(rawSharp(rgb), resized, window);
  }

  /** The resampler that reproduces transformers; null in fast mode (or for a filter it does not implement). */
  private get exactFilter(): AntialiasFilter | null {
    return this.resizeMode === 'exact' ? (EXACT_FILTERS[this.config.resample] ?? null) : null;
  }

  private fastResize(
    source: Sharp,
    resized: { width: number; height: number },
    window: OutputWindow,
  ): Promise<Buffer> {
    return source
      .resize(resized.width, resized.height, { kernel: this.kernel, fit: 'fill', fastShrinkOnLoad: false })
      .extract(window)
      .raw({ depth: 'uchar' })
      .toBuffer();
  }

  /** Where an image of this size lands: the resize target, and the centre-crop window within it. */
  private geometry(
    width: number,
    height: number,
  ): { resized: { width: number; height: number }; window: OutputWindow } {
    const resized = this.resizeTarget(width, height) ?? { width, height };
    const crop = this.config.crop ?? { width: this.width, height: this.height };
    if (resized.width < crop.width || resized.height < crop.height) {
      throw new ModelLoadError(
        'MODEL_INVALID',
        'preprocessor_config.json: images end smaller than crop_size',
      );
    }
    return { resized, window: centreCrop(resized, crop) };
  }

  /** transformers' shortest-edge rule: the short side becomes N, the long one floor(N · long / short). */
  private resizeTarget(width: number, height: number): { width: number; height: number } | null {
    const resize = this.config.resize;
    if (!resize) return null;
    if ('height' in resize) return resize;
    return shortestEdgeSize(width, height, resize.shortestEdge);
  }

  private writeChw(rgb: Uint8Array, out: Float32Array, offset: number): void {
    const plane = this.height * this.width;
    const [s0, s1, s2] = this.scale;
    const [o0, o1, o2] = this.offset;
    for (let i = 0, p = 0; i < plane; i++, p += 3) {
      out[offset + i] = rgb[p]! * s0 + o0;
      out[offset + plane + i] = rgb[p + 1]! * s1 + o1;
      out[offset + 2 * plane + i] = rgb[p + 2]! * s2 + o2;
    }
  }
}

function rawSharp(image: RgbImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}
