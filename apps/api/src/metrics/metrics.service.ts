import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type CacheStats, IMAGE_DECODE_CHANNEL, type ImageDecodeEvent } from '#clip';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the service: requests, model batches and queue, generators, cache. */
@Injectable()
export class MetricsService implements OnModuleDestroy {
  readonly registry = new Registry();

  readonly requestSeconds = new Histogram({
    name: 'clipsmith_request_duration_seconds',
    help: 'HTTP and GraphQL request latency.',
    labelNames: ['operation', 'outcome'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  readonly batchSize = new Histogram({
    name: 'clipsmith_model_batch_size',
    help: 'Items per model call (texts or images).',
    labelNames: ['kind'],
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });

  readonly batchSeconds = new Histogram({
    name: 'clipsmith_model_batch_duration_seconds',
    help: 'Time of one model call.',
    labelNames: ['kind'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'clipsmith_model_queue_depth',
    help: 'Texts and images waiting for the model.',
    registers: [this.registry],
  });

  readonly generatorSeconds = new Histogram({
    name: 'clipsmith_generator_duration_seconds',
    help: 'Time a generator took for one request.',
    labelNames: ['generator'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  readonly generatorErrors = new Counter({
    name: 'clipsmith_generator_errors_total',
    help: 'Generator failures by code.',
    labelNames: ['generator', 'code'],
    registers: [this.registry],
  });

  readonly generatorRetries = new Counter({
    name: 'clipsmith_generator_retries_total',
    help: 'Upstream retries by generator.',
    labelNames: ['generator'],
    registers: [this.registry],
  });

  readonly imageDecodes = new Counter({
    name: 'clipsmith_image_decodes_total',
    help: 'Image decodes to pixels, by where they happened (verify: where an image entered).',
    labelNames: ['stage'],
    registers: [this.registry],
  });

  /** The engine's cache figures, read at scrape time. */
  readonly cache: Record<keyof CacheStats, Gauge> = {
    hits: this.gauge('clipsmith_embedding_cache_hits', 'Embedding cache hits since start.'),
    misses: this.gauge('clipsmith_embedding_cache_misses', 'Embedding cache misses since start.'),
    evictions: this.gauge(
      'clipsmith_embedding_cache_evictions',
      'Embeddings dropped from the cache to make room, since start.',
    ),
    entries: this.gauge('clipsmith_embedding_cache_entries', 'Embeddings in the cache.'),
    bytes: this.gauge('clipsmith_embedding_cache_bytes', 'Bytes the cached embeddings take.'),
    maxBytes: this.gauge(
      'clipsmith_embedding_cache_max_bytes',
      'Bytes the cache may take (CLIP_CACHE_BYTES).',
    ),
  };

  private readonly onDecode = (event: unknown): void =>
    this.imageDecodes.inc({ stage: (event as ImageDecodeEvent).stage });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'clipsmith_' });
    // The libs publish every decode on a diagnostics channel; counting them here keeps metrics out of the libs.
    subscribe(IMAGE_DECODE_CHANNEL, this.onDecode);
  }

  onModuleDestroy(): void {
    unsubscribe(IMAGE_DECODE_CHANNEL, this.onDecode);
  }

  private gauge(name: string, help: string): Gauge {
    return new Gauge({ name, help, registers: [this.registry] });
  }

  observeBatch(kind: 'image' | 'text', size: number, seconds: number): void {
    this.batchSize.observe({ kind }, size);
    this.batchSeconds.observe({ kind }, seconds);
  }
}
