import type { CacheStats } from '#clip';
import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { MetricsService } from './metrics.service.js';

@Controller()
export class MetricsController {
  constructor(
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ClipEngineService) private readonly engine: ClipEngineService,
  ) {}

  /** Prometheus text exposition; gauges that mirror other components are read at scrape time. */
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    this.metrics.queueDepth.set(this.work.depth);
    const stats = this.engine.cacheStats;
    if (stats) {
      for (const [name, gauge] of Object.entries(this.metrics.cache))
        gauge.set(stats[name as keyof CacheStats]);
    }
    return this.metrics.registry.metrics();
  }
}
