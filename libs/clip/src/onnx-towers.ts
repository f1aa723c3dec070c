import ort from 'onnxruntime-node';
import { ModelLoadError } from './errors.js';
import type { TowerFiles } from './model-files.js';
import type { TokenBatch } from './tokenizer.js';

export interface SessionOptions {
  /** Threads one inference may use; defaults to onnxruntime's choice (all cores). */
  intraOpNumThreads?: number;
}

interface TowerSpec {
  session: ort.InferenceSession;
  file: string;
  output: string;
  takesAttentionMask: boolean;
}

/** A pixel batch in NCHW layout. */
export interface PixelBatch {
  data: Float32Array;
  count: number;
  height: number;
  width: number;
}

/**
 * The two CLIP towers as onnxruntime sessions. Input and output names are read from the sessions,
 * so exports with and without attention_mask, split or combined, all load the same way.
 */
export class ClipTowers {
  private constructor(
    private readonly text: TowerSpec,
    private readonly vision: TowerSpec,
    private readonly combined: boolean,
    /** Feeds for the tower a combined model runs but we do not need: one short text, one image. */
    private readonly idleFeeds: { text: TokenBatch; pixels: PixelBatch },
  ) {}

  static async load(
    files: TowerFiles,
    options: SessionOptions,
    idleFeeds: ClipTowers['idleFeeds'],
  ): Promise<ClipTowers> {
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      ...(options.intraOpNumThreads
        ? { intraOpNumThreads: options.intraOpNumThreads, interOpNumThreads: 1 }
        : {}),
    };
    if (files.kind === 'combined') {
      const session = await openSession(files.model, sessionOptions);
      const text = towerSpec(session, files.model, 'input_ids', 'text_embeds');
      const vision = towerSpec(session, files.model, 'pixel_values', 'image_embeds');
      return new ClipTowers(text, vision, true, idleFeeds);
    }
    const [textSession, visionSession] = await Promise.all([
      openSession(files.text, sessionOptions),
      openSession(files.vision, sessionOptions),
    ]);
    return new ClipTowers(
      towerSpec(textSession, files.text, 'input_ids', 'text_embeds'),
      towerSpec(visionSession, files.vision, 'pixel_values', 'image_embeds'),
      false,
      idleFeeds,
    );
  }

  /** Unnormalised text embeddings, one row per text. */
  async encodeText(batch: TokenBatch): Promise<Float32Array[]> {
    const feeds: Record<string, ort.Tensor> = this.textFeeds(batch, this.text);
    if (this.combined) Object.assign(feeds, this.pixelFeeds(this.idleFeeds.pixels));
    const result = await this.text.session.run(feeds, [this.text.output]);
    return rows(result[this.text.output]!, batch.batchSize);
  }

  /** Unnormalised image embeddings, one row per image. */
  async encodeImages(pixels: PixelBatch): Promise<Float32Array[]> {
    const feeds: Record<string, ort.Tensor> = this.pixelFeeds(pixels);
    if (this.combined) Object.assign(feeds, this.textFeeds(this.idleFeeds.text, this.vision));
    const result = await this.vision.session.run(feeds, [this.vision.output]);
    return rows(result[this.vision.output]!, pixels.count);
  }

  async release(): Promise<void> {
    await this.text.session.release();
    if (!this.combined) await this.vision.session.release();
  }

  private textFeeds(batch: TokenBatch, spec: TowerSpec): Record<string, ort.Tensor> {
    const dims = [batch.batchSize, batch.sequenceLength];
    const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', batch.ids, dims) };
    if (spec.takesAttentionMask) feeds['attention_mask'] = new ort.Tensor('int64', batch.attentionMask, dims);
    return feeds;
  }

  private pixelFeeds(pixels: PixelBatch): Record<string, ort.Tensor> {
    const dims = [pixels.count, 3, pixels.height, pixels.width];
    return {
      pixel_values: new ort.Tensor(
        'float32',
        pixels.data.subarray(0, pixels.count * 3 * pixels.height * pixels.width),
        dims,
      ),
    };
  }
}

async function openSession(
  file: string,
  options: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(file, options);
  } catch (cause) {
    throw new ModelLoadError(
      'MODEL_INVALID',
      `${file} is not a loadable ONNX model: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
}

function towerSpec(session: ort.InferenceSession, file: string, input: string, output: string): TowerSpec {
  const missing = [
    session.inputNames.includes(input) ? null : `input ${input}`,
    session.outputNames.includes(output) ? null : `output ${output}`,
  ].filter((m) => m !== null);
  if (missing.length > 0) {
    throw new ModelLoadError(
      'MODEL_INVALID',
      `${file} lacks ${missing.join(' and ')} (it has inputs ${session.inputNames.join(', ')}; outputs ${session.outputNames.join(', ')})`,
    );
  }
  return { session, file, output, takesAttentionMask: session.inputNames.includes('attention_mask') };
}

function rows(tensor: ort.Tensor, count: number): Float32Array[] {
  const data = tensor.data;
  if (!(data instanceof Float32Array) || tensor.dims.length !== 2 || tensor.dims[0] !== count) {
    throw new ModelLoadError(
      'MODEL_INVALID',
      `expected a float32 [${count}, dim] embedding, got ${tensor.type} [${tensor.dims.join(', ')}]`,
    );
  }
  const dim = Number(tensor.dims[1]);
  return Array.from({ length: count }, (_, i) => data.slice(i * dim, (i + 1) * dim));
}
