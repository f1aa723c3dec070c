import type { ClipPort } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ModelWorkQueue } from './model-work-queue.js';

/** The ClipPort every request uses: the loaded engine behind the shared, batching work queue. */
@Injectable()
export class ClipWorkService {
  private queue: ModelWorkQueue | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ClipEngineService) private readonly engine: ClipEngineService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
  ) {}

  /** Throws MODEL_NOT_READY until the model has loaded. */
  get clip(): ClipPort {
    this.queue ??= new ModelWorkQueue(
      this.engine.ready,
      { maxQueued: this.config.limits.queueMaxItems, maxBatch: this.config.limits.queueBatch },
      { batch: (kind, size, seconds) => this.metrics.observeBatch(kind, size, seconds) },
    );
    return this.queue;
  }

  get depth(): number {
    return this.queue?.depth ?? 0;
  }

  /** Identifies the model's embedding space, so stored embeddings from another model are never mixed in. */
  get modelKey(): string {
    const { dir, dtype } = this.engine.ready.info;
    return `${dir}#${dtype}`;
  }
}
