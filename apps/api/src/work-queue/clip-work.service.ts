import type { ClipPort } from '#guidance';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { type ModelBatch, ModelWorkQueue } from './model-work-queue.js';

/** The ClipPort every request uses: the loaded engine behind the shared, batching work queue. */
@Injectable()
export class ClipWorkService {
  private readonly logger = new Logger('ModelQueue');
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
      { batch: (batch) => this.observe(batch) },
    );
    return this.queue;
  }

  private observe({ kind, size, seconds, requestIds }: ModelBatch): void {
    this.metrics.observeBatch(kind, size, seconds);
    this.logger.debug({ msg: 'model batch', kind, size, ms: Math.round(seconds * 1000), requestIds });
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
