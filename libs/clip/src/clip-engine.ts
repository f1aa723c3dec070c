import { resolve } from 'node:path';
import { type Calibration, percentileOf, readCalibration } from './calibration/calibration.js';
import {
  type CacheStats,
  EmbeddingCache,
  imageKey,
  pixelsKey,
  sha256Key,
  textKey,
} from './embedding-cache.js';
import { ClipError, ImageInputError } from './errors.js';
import {
  DEFAULT_IMAGE_LIMITS,
  type ImageInput,
  type ImageLimits,
  type LoadedImage,
  loadImageInput,
} from './image-probe.js';
import { ImagePreprocessor, type ResizeMode } from './image-preprocessor.js';
import { parseModelConfig, parsePreprocessConfig } from './model-config.js';
import {
  assertModelFolder,
  CONFIG_FILES,
  type ModelDtype,
  readModelJson,
  resolveTowerFiles,
  type TowerFiles,
} from './model-files.js';
import { ClipTowers, type PixelBatch } from './onnx-towers.js';
import { l2Normalize, logits, softmax } from './scores.js';
import { ClipTokenizer } from './tokenizer.js';

export interface ClipEngineOptions {
  /** Which weights to load (default fp32). */
  dtype?: ModelDtype;
  /** onnxruntime intra-op threads (default: all cores). */
  intraOpNumThreads?: number;
  /** Most texts or images one inference call takes (default 32). */
  batchSize?: number;
  /** Bytes of embeddings kept in the LRU cache, texts and images together (0 disables it). */
  cacheBytes?: number;
  /** Multiplier from cosine to logit. Default: the model's trained scale when its config carries one, else 100. */
  logitScale?: number;
  imageLimits?: Partial<ImageLimits>;
  /** `exact` (default) matches transformers' pixels bit for bit; `fast` resizes with libvips, ~0.99999 cosine. */
  resizeMode?: ResizeMode;
  /** Read calibration.json beside the model (default true); `calibrate` skips it to remake a stale one. */
  readCalibration?: boolean;
}

/** The defaults of the options above, for whoever configures an engine. */
export const DEFAULT_ENGINE_OPTIONS = {
  dtype: 'fp32',
  batchSize: 32,
  cacheBytes: 32 * 1024 * 1024,
  resizeMode: 'exact',
} as const satisfies ClipEngineOptions;

export interface ModelInfo {
  dir: string;
  dtype: ModelDtype;
  files: TowerFiles;
  modelType: string;
  embeddingDim: number;
  imageSize: { height: number; width: number };
  contextLength: number;
  logitScale: number;
  /** What its similarities mean (calibration.json beside the model); null when the folder has none. */
  calibration: Calibration | null;
}

export interface LabelScore {
  label: string;
  probability: number;
  similarity: number;
  /** Share (0–100) of the calibration's mismatched pairs scoring below the similarity; null uncalibrated. */
  percentile: number | null;
}

const DEFAULT_LOGIT_SCALE = 100;

/** Turns texts and images into L2-normalised CLIP embeddings, and labels into probabilities. */
export class ClipEngine {
  private readonly cache: EmbeddingCache;

  private constructor(
    readonly info: ModelInfo,
    readonly tokenizer: ClipTokenizer,
    private readonly preprocessor: ImagePreprocessor,
    private readonly towers: ClipTowers,
    private readonly batchSize: number,
    private readonly imageLimits: ImageLimits,
    cacheSize: number,
  ) {
    this.cache = new EmbeddingCache(cacheSize);
  }

  /** Loads a Hugging Face ONNX export folder; fails here, naming the file, if any piece is missing. */
  static async load(dir: string, options: ClipEngineOptions = {}): Promise<ClipEngine> {
    const folder = resolve(dir);
    const dtype = options.dtype ?? DEFAULT_ENGINE_OPTIONS.dtype;
    await assertModelFolder(folder);
    // One file after another, so a folder missing several reports the same one every time.
    const config = await readModelJson(folder, CONFIG_FILES[0], true);
    const preprocessorJson = await readModelJson(folder, CONFIG_FILES[1], true);
    const tokenizerJson = await readModelJson(folder, CONFIG_FILES[2], true);
    const tokenizerConfig = await readModelJson(folder, 'tokenizer_config.json', false);
    const files = await resolveTowerFiles(folder, dtype);
    const calibration = options.readCalibration === false ? null : await readCalibration(folder);
    const modelConfig = parseModelConfig(config);
    const imageLimits = { ...DEFAULT_IMAGE_LIMITS, ...options.imageLimits };
    const preprocessor = new ImagePreprocessor(
      parsePreprocessConfig(preprocessorJson),
      imageLimits,
      options.resizeMode ?? DEFAULT_ENGINE_OPTIONS.resizeMode,
    );
    const tokenizer = ClipTokenizer.fromJson(tokenizerJson, tokenizerConfig ?? {});
    const idleText = tokenizer.encodeBatch(['']);
    const idlePixels: PixelBatch = {
      data: new Float32Array(preprocessor.tensorSize),
      count: 1,
      height: preprocessor.height,
      width: preprocessor.width,
    };
    const towers = await ClipTowers.load(files, options, { text: idleText, pixels: idlePixels });
    // One tiny text run tells the embedding width and proves the text tower runs before we report ready.
    const [probe] = await towers.encodeText(idleText);
    const info: ModelInfo = {
      dir: folder,
      dtype,
      files,
      modelType: modelConfig.modelType,
      embeddingDim: probe!.length,
      imageSize: { height: preprocessor.height, width: preprocessor.width },
      contextLength: tokenizer.maxLength,
      logitScale: options.logitScale ?? modelConfig.trainedLogitScale ?? DEFAULT_LOGIT_SCALE,
      calibration,
    };
    const batchSize = positive('batchSize', options.batchSize ?? DEFAULT_ENGINE_OPTIONS.batchSize);
    return new ClipEngine(
      info,
      tokenizer,
      preprocessor,
      towers,
      batchSize,
      imageLimits,
      options.cacheBytes ?? DEFAULT_ENGINE_OPTIONS.cacheBytes,
    );
  }

  get cacheStats(): CacheStats {
    return this.cache.stats;
  }

  tokenize(texts: readonly string[]): number[][] {
    return texts.map((t) => this.tokenizer.encode(assertText(t)));
  }

  /** L2-normalised text embeddings, in input order. */
  async embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    const ids = this.tokenize(texts);
    const keys = ids.map(textKey);
    return this.embedCached(keys, async (missing) => {
      // Sorting by length before batching keeps padding, and so wasted compute, to a minimum.
      const order = missing
        .map((_, i) => i)
        .sort((a, b) => ids[missing[a]!]!.length - ids[missing[b]!]!.length);
      const out: Float32Array[] = new Array<Float32Array>(missing.length);
      for (let start = 0; start < order.length; start += this.batchSize) {
        const slice = order.slice(start, start + this.batchSize);
        // Tokenized once above: the cache key is made of the same ids.
        const batch = this.tokenizer.padBatch(slice.map((i) => ids[missing[i]!]!));
        const embeds = await this.towers.encodeText(batch);
        slice.forEach((i, k) => (out[i] = l2Normalize(embeds[k]!)));
      }
      return out;
    });
  }

  /**
   * L2-normalised image embeddings, in input order. Decoding of the next batch overlaps inference
   * on the current one. A bad image rejects the call with an ImageInputError naming its index.
   */
  async embedImages(images: readonly ImageInput[]): Promise<Float32Array[]> {
    const loaded = await Promise.all(
      images.map((image, i) => withIndex(i, () => loadImageInput(image, this.imageLimits))),
    );
    const keys = loaded.map((l) =>
      'verified' in l ? sha256Key(l.verified.sha256) : 'bytes' in l ? imageKey(l.bytes) : pixelsKey(l.rgb),
    );
    return this.embedCached(keys, async (missing) => {
      const batches: number[][] = [];
      for (let start = 0; start < missing.length; start += this.batchSize) {
        batches.push(missing.slice(start, start + this.batchSize));
      }
      const prepare = (batch: number[]): Promise<PixelBatch> =>
        this.pixelBatch(batch.map((i) => ({ index: i, image: loaded[i]! })));
      const out: Float32Array[] = [];
      let next = prepare(batches[0]!);
      for (let b = 0; b < batches.length; b++) {
        const pixels = await next;
        if (b + 1 < batches.length) {
          next = prepare(batches[b + 1]!);
          // Its failure is reported when awaited; keep Node from flagging it as unhandled meanwhile.
          next.catch(() => undefined);
        }
        for (const e of await this.towers.encodeImages(pixels)) out.push(l2Normalize(e));
      }
      return out;
    });
  }

  /** Zero-shot classification: probabilities over the labels (softmax of scaled cosines), best first. */
  async classify(image: ImageInput, labels: readonly string[]): Promise<LabelScore[]> {
    if (labels.length === 0) throw new ClipError('BAD_INPUT', 'classify needs at least one label');
    const [[imageEmbedding], labelEmbeddings] = await Promise.all([
      this.embedImages([image]),
      this.embedTexts(labels),
    ]);
    const similarities = labelEmbeddings.map((l) => logits(imageEmbedding!, [l], 1)[0]!);
    const probabilities = softmax(similarities.map((s) => s * this.info.logitScale));
    return labels
      .map((label, i) => ({
        label,
        probability: probabilities[i]!,
        similarity: similarities[i]!,
        percentile: percentileOf(this.info.calibration, similarities[i]!),
      }))
      .sort((a, b) => b.probability - a.probability);
  }

  async dispose(): Promise<void> {
    await this.towers.release();
  }

  /** Serves cached keys, computes the distinct missing ones once each, and caches them. */
  private async embedCached(
    keys: readonly string[],
    compute: (missingIndices: number[]) => Promise<Float32Array[]>,
  ): Promise<Float32Array[]> {
    const results = keys.map((k) => this.cache.get(k));
    const firstIndexOfKey = new Map<string, number>();
    keys.forEach((k, i) => {
      if (results[i] === undefined && !firstIndexOfKey.has(k)) firstIndexOfKey.set(k, i);
    });
    const missing = [...firstIndexOfKey.values()];
    if (missing.length > 0) {
      const computed = await compute(missing);
      missing.forEach((i, k) => this.cache.set(keys[i]!, computed[k]!));
      const byKey = new Map(missing.map((i, k) => [keys[i]!, computed[k]!]));
      keys.forEach((key, i) => (results[i] ??= byKey.get(key)));
    }
    return results as Float32Array[];
  }

  private async pixelBatch(items: { index: number; image: LoadedImage }[]): Promise<PixelBatch> {
    const size = this.preprocessor.tensorSize;
    const data = new Float32Array(items.length * size);
    await Promise.all(
      items.map((item, k) =>
        withIndex(item.index, () => this.preprocessor.preprocess(item.image, data, k * size)),
      ),
    );
    return { data, count: items.length, height: this.preprocessor.height, width: this.preprocessor.width };
  }
}

function positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new ClipError('BAD_INPUT', `${name} must be a positive integer`);
  return value;
}

function assertText(text: unknown): string {
  if (typeof text !== 'string')
    throw new ClipError('BAD_INPUT', `a text must be a string, got ${typeof text}`);
  return text;
}

/** Prefixes an image error with the position of the image in the caller's list. */
async function withIndex<T>(index: number, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ImageInputError && error.index === undefined) {
      throw new ImageInputError(error.code, `image ${index}: ${error.message}`, {
        cause: error,
        index,
      });
    }
    throw error;
  }
}
