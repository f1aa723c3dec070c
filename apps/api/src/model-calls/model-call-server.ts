import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import type { BullModelCallQueue } from './bull-model-call-queue.js';
import {
  MODEL_CALL_HANDLERS,
  type ModelCallHandlers,
  type ModelCallKind,
  runModelCall,
} from './model-call-handlers.js';

export const MODEL_CALL_QUEUE = Symbol('MODEL_CALL_QUEUE');

/**
 * In distributed mode, a node with the model (role `all` or `worker`) answers the calls `api` nodes
 * queue, with the same handlers its own requests use, once its model has loaded.
 */
@Injectable()
export class ModelCallServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(MODEL_CALL_QUEUE) private readonly queue: BullModelCallQueue | null,
    @Inject(MODEL_CALL_HANDLERS) private readonly handlers: ModelCallHandlers,
    @Inject(ClipEngineService) private readonly engine: ClipEngineService,
  ) {}

  onApplicationBootstrap(): void {
    const { queue } = this;
    if (!queue || this.config.role === 'api') return;
    // Calls wait in the queue while the model loads; a model that failed to load answers MODEL_NOT_READY.
    void this.engine
      .load()
      .catch(() => undefined)
      .then(() =>
        queue.serve((kind, input, signal) =>
          runModelCall(this.handlers, kind as ModelCallKind, input as never, signal),
        ),
      );
  }

  /** Before the engine and the database close, so the calls running here can finish. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.queue?.close();
  }
}
