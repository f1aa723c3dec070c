import { ModelLoadError } from './errors.js';
import type { InferenceReply, WireSessionOptions, WireTensor } from './inference-protocol.js';
import { InferenceThread } from './inference-thread.js';
import type { TowerFiles } from './model-files.js';
import type { TokenBatch } from './tokenizer.js';

export interface SessionOptions {
  /** Threads one inference may use; defaults to onnxruntime's choice (all cores). */
  intraOpNumThreads?: number;
}

interface TowerSpec {
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
 * The two CLIP towers as onnxruntime sessions, run on their own thread (`inference-worker.ts`): the
 * main thread stays free to prepare the next batch while one runs. Input and output names are read from
 * the sessions, so exports with and without attention_mask, split or combined, all load the same way.
 */
export class ClipTowers {
  private constructor(
    private readonly thread: InferenceThread,
    private readonly text: TowerSpec,
    private readonly vision: TowerSpec,
    private readonly combined: boolean,
  ) {}

  /** `idleFeeds`: one short text and one image, for the tower a combined model runs but we do not need. */
  static async load(
    files: TowerFiles,
    options: SessionOptions,
    idleFeeds: { text: TokenBatch; pixels: PixelBatch },
  ): Promise<ClipTowers> {
    const sessionOptions: WireSessionOptions = {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      ...(options.intraOpNumThreads
        ? { intraOpNumThreads: options.intraOpNumThreads, interOpNumThreads: 1 }
        : {}),
    };
    const fileList = files.kind === 'combined' ? [files.model] : [files.text, files.vision];
    const idle =
      files.kind === 'combined'
        ? { ...textFeeds(idleFeeds.text, true), ...pixelFeeds(idleFeeds.pixels) }
        : {};
    const thread = InferenceThread.start();
    const reply = await thread.request({
      kind: 'load',
      files: fileList,
      options: sessionOptions,
      idleFeeds: idle,
    });
    if (reply.kind !== 'loaded') {
      await thread.terminate();
      const file = reply.kind === 'error' && reply.file ? reply.file : fileList.join(', ');
      const message = reply.kind === 'error' ? reply.message : `unexpected reply ${reply.kind}`;
      throw new ModelLoadError('MODEL_INVALID', `${file} is not a loadable ONNX model: ${message}`);
    }
    try {
      if (files.kind === 'combined') {
        const names = reply.sessions[files.model]!;
        const text = towerSpec(names, files.model, 'input_ids', 'text_embeds');
        const vision = towerSpec(names, files.model, 'pixel_values', 'image_embeds');
        return new ClipTowers(thread, text, vision, true);
      }
      return new ClipTowers(
        thread,
        towerSpec(reply.sessions[files.text]!, files.text, 'input_ids', 'text_embeds'),
        towerSpec(reply.sessions[files.vision]!, files.vision, 'pixel_values', 'image_embeds'),
        false,
      );
    } catch (error) {
      await thread.terminate();
      throw error;
    }
  }

  /** Unnormalised text embeddings, one row per text. */
  async encodeText(batch: TokenBatch): Promise<Float32Array[]> {
    const feeds = textFeeds(batch, this.text.takesAttentionMask);
    const idle = this.combined ? ['pixel_values'] : [];
    return this.run(this.text, feeds, idle, batch.batchSize, [batch.ids.buffer, batch.attentionMask.buffer]);
  }

  /** Unnormalised image embeddings, one row per image. The batch's buffer is handed over, not copied. */
  async encodeImages(pixels: PixelBatch): Promise<Float32Array[]> {
    const idle = this.combined
      ? ['input_ids', ...(this.vision.takesAttentionMask ? ['attention_mask'] : [])]
      : [];
    return this.run(this.vision, pixelFeeds(pixels), idle, pixels.count, [pixels.data.buffer as ArrayBuffer]);
  }

  async release(): Promise<void> {
    await this.thread.request({ kind: 'release' }).catch(() => undefined);
    await this.thread.terminate();
  }

  private async run(
    spec: TowerSpec,
    feeds: Record<string, WireTensor>,
    idle: string[],
    count: number,
    transfer: ArrayBufferLike[],
  ): Promise<Float32Array[]> {
    const reply = await this.thread.request(
      { kind: 'run', file: spec.file, feeds, idle, output: spec.output },
      distinct(transfer),
    );
    return rows(reply, count);
  }
}

function textFeeds(batch: TokenBatch, withMask: boolean): Record<string, WireTensor> {
  const dims = [batch.batchSize, batch.sequenceLength];
  const feeds: Record<string, WireTensor> = { input_ids: { type: 'int64', data: batch.ids, dims } };
  if (withMask) feeds['attention_mask'] = { type: 'int64', data: batch.attentionMask, dims };
  return feeds;
}

function pixelFeeds(pixels: PixelBatch): Record<string, WireTensor> {
  const size = 3 * pixels.height * pixels.width;
  return {
    pixel_values: {
      type: 'float32',
      data: pixels.data.subarray(0, pixels.count * size),
      dims: [pixels.count, 3, pixels.height, pixels.width],
    },
  };
}

/** Transferable buffers, each once (a transfer list must not repeat one). */
function distinct(buffers: ArrayBufferLike[]): ArrayBuffer[] {
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

function towerSpec(
  names: { inputs: readonly string[]; outputs: readonly string[] },
  file: string,
  input: string,
  output: string,
): TowerSpec {
  const missing = [
    names.inputs.includes(input) ? null : `input ${input}`,
    names.outputs.includes(output) ? null : `output ${output}`,
  ].filter((m) => m !== null);
  if (missing.length > 0) {
    throw new ModelLoadError(
      'MODEL_INVALID',
      `${file} lacks ${missing.join(' and ')} (it has inputs ${names.inputs.join(', ')}; outputs ${names.outputs.join(', ')})`,
    );
  }
  return { file, output, takesAttentionMask: names.inputs.includes('attention_mask') };
}

function rows(reply: InferenceReply, count: number): Float32Array[] {
  if (reply.kind === 'error') throw new Error(reply.message);
  if (reply.kind !== 'result' || reply.dims.length !== 2 || reply.dims[0] !== count) {
    const shape = reply.kind === 'result' ? `[${reply.dims.join(', ')}]` : reply.kind;
    throw new ModelLoadError('MODEL_INVALID', `expected a float32 [${count}, dim] embedding, got ${shape}`);
  }
  const { data } = reply;
  const dim = reply.dims[1]!;
  return Array.from({ length: count }, (_, i) => data.slice(i * dim, (i + 1) * dim));
}
