import { type ClipEngine, ImageInputError, type ImageInput } from '#clip';
import type { ClipPort } from '#guidance';
import { ApiError } from '../errors/api-error.js';
import { requestContext } from '../logging/request-context.js';

export interface WorkQueueOptions {
  /** Items (images + texts) waiting at most; beyond it a request is refused with QUEUE_FULL. */
  maxQueued: number;
  /** Items one model call takes at most; 1 turns cross-request batching off. */
  maxBatch: number;
}

export interface ModelBatch {
  kind: 'image' | 'text';
  size: number;
  seconds: number;
  /** The requests whose items the batch held, each once. */
  requestIds: string[];
}

export interface WorkQueueObserver {
  batch(batch: ModelBatch): void;
}

interface Pending<T> {
  input: T;
  /** The request that queued it, so a batch can say whom it served. */
  requestId: string | undefined;
  resolve: (embedding: Float32Array) => void;
  reject: (error: unknown) => void;
}

/**
 * Every request's model work goes through here. One model call runs at a time; while it runs, new
 * items wait, and the next call takes up to `maxBatch` of them from whichever requests sent them: batching
 * across callers, with a bounded queue instead of unbounded promises.
 */
export class ModelWorkQueue implements ClipPort {
  private readonly images: Pending<ImageInput>[] = [];
  private readonly texts: Pending<string>[] = [];
  private running = false;
  private nextLane: 'image' | 'text' = 'image';

  constructor(
    private readonly engine: ClipEngine,
    private readonly options: WorkQueueOptions,
    private readonly observer?: WorkQueueObserver,
  ) {}

  get info(): ClipPort['info'] {
    return this.engine.info;
  }

  get depth(): number {
    return this.images.length + this.texts.length;
  }

  embedImages(images: readonly ImageInput[]): Promise<Float32Array[]> {
    return this.enqueue(this.images, images);
  }

  embedTexts(texts: readonly string[]): Promise<Float32Array[]> {
    return this.enqueue(this.texts, texts);
  }

  private enqueue<T>(lane: Pending<T>[], inputs: readonly T[]): Promise<Float32Array[]> {
    if (inputs.length === 0) return Promise.resolve([]);
    if (this.depth + inputs.length > this.options.maxQueued) {
      return Promise.reject(
        new ApiError('QUEUE_FULL', `the model queue is full (${this.depth} items waiting); retry shortly`),
      );
    }
    const requestId = requestContext.get()?.requestId;
    const promises = inputs.map(
      (input) =>
        new Promise<Float32Array>((resolve, reject) => lane.push({ input, requestId, resolve, reject })),
    );
    // A batch serves many requests, so it runs (and logs) in none of theirs.
    requestContext.detached(() => this.drain());
    return Promise.all(promises).catch((error: unknown) => {
      // Report an image's position within this caller's own list, not within the shared batch.
      if (error instanceof ImageInputError && error.index !== undefined) {
        throw new ImageInputError(error.code, error.message.replace(/^image \d+: /, ''), { cause: error });
      }
      throw error;
    });
  }

  private drain(): void {
    if (this.running) return;
    const lane = this.pickLane();
    if (!lane) return;
    this.running = true;
    const run =
      lane === 'image'
        ? this.runBatch(
            this.images.splice(0, this.options.maxBatch),
            (i) => this.engine.embedImages(i),
            'image',
          )
        : this.runBatch(
            this.texts.splice(0, this.options.maxBatch),
            (t) => this.engine.embedTexts(t),
            'text',
          );
    void run.finally(() => {
      this.running = false;
      this.drain();
    });
  }

  /** Alternates lanes when both wait, so a flood of one kind cannot starve the other. */
  private pickLane(): 'image' | 'text' | null {
    const order: ('image' | 'text')[] = this.nextLane === 'image' ? ['image', 'text'] : ['text', 'image'];
    const lane = order.find((l) => (l === 'image' ? this.images : this.texts).length > 0) ?? null;
    if (lane) this.nextLane = lane === 'image' ? 'text' : 'image';
    return lane;
  }

  private async runBatch<T>(
    batch: Pending<T>[],
    embed: (inputs: T[]) => Promise<Float32Array[]>,
    kind: 'image' | 'text',
  ): Promise<void> {
    const started = performance.now();
    try {
      const embeddings = await embed(batch.map((p) => p.input));
      batch.forEach((p, i) => p.resolve(embeddings[i]!));
    } catch (error) {
      // One bad image must not fail the other callers in its batch: drop it and run the rest again.
      if (error instanceof ImageInputError && error.index !== undefined && batch.length > 1) {
        batch[error.index]!.reject(error);
        await this.runBatch(
          batch.filter((_, i) => i !== error.index),
          embed,
          kind,
        );
        return;
      }
      batch.forEach((p) => p.reject(error));
    } finally {
      this.observer?.batch({
        kind,
        size: batch.length,
        seconds: (performance.now() - started) / 1000,
        requestIds: [...new Set(batch.flatMap((p) => (p.requestId ? [p.requestId] : [])))],
      });
    }
  }
}
