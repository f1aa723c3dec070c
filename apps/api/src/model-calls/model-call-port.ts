import type { ImageInputService } from '../images/image-input.service.js';
import {
  type ModelCallHandlers,
  type ModelCallInput,
  type ModelCallKind,
  type ModelCallOutput,
  runModelCall,
} from './model-call-handlers.js';
import type { BullModelCallQueue } from './bull-model-call-queue.js';
import { withUploadsRead } from './uploads-read.js';

/**
 * How a resolver's quick model call reaches a model: the same handler runs either way, here (`all`,
 * `worker`) or on a worker through the queue (`api`); only the transport differs.
 */
export interface ModelCallPort {
  call<K extends ModelCallKind>(
    kind: K,
    input: ModelCallInput<K>,
    signal: AbortSignal,
  ): Promise<ModelCallOutput<K>>;
}

export const MODEL_CALL_PORT = Symbol('MODEL_CALL_PORT');

/** The node has the model: the call runs in this process. */
export class InProcessModelCalls implements ModelCallPort {
  constructor(private readonly handlers: ModelCallHandlers) {}

  call<K extends ModelCallKind>(
    kind: K,
    input: ModelCallInput<K>,
    signal: AbortSignal,
  ): Promise<ModelCallOutput<K>> {
    return runModelCall(this.handlers, kind, input, signal);
  }
}

/** An `api` node: the call goes to a worker through the queue, and the request waits for its answer. */
export class QueuedModelCalls implements ModelCallPort {
  constructor(
    private readonly queue: BullModelCallQueue,
    private readonly images: ImageInputService,
  ) {}

  async call<K extends ModelCallKind>(
    kind: K,
    input: ModelCallInput<K>,
    signal: AbortSignal,
  ): Promise<ModelCallOutput<K>> {
    const portable = await withUploadsRead(input, (image) => this.images.portable(image));
    return (await this.queue.call(kind, portable, signal)) as ModelCallOutput<K>;
  }
}
