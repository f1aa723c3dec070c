import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of the service: requests, model batches and queue, generators, cache. */
@Injectable()
export class MetricsService {
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

  readonly cacheHits = new Gauge({
    name: 'clipsmith_embedding_cache_hits',
    help: 'Embedding cache hits since start.',
    registers: [this.registry],
  });

  readonly cacheMisses = new Gauge({
    name: 'clipsmith_embedding_cache_misses',
    help: 'Embedding cache misses since start.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'clipsmith_' });
  }

  observeBatch(kind: 'image' | 'text', size: number, seconds: number): void {
    this.batchSize.observe({ kind }, size);
    this.batchSeconds.observe({ kind }, seconds);
  }
}
