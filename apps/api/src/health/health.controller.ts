import type { ModelInfo } from '#clip';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SqlDatabase } from '../database/database.js';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { JobService } from '../jobs/job.service.js';

@Controller()
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ClipEngineService) private readonly engine: ClipEngineService,
    @Inject(SqlDatabase) private readonly database: SqlDatabase,
    @Inject(JobService) private readonly jobs: JobService,
  ) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Readiness: the model is loaded (not needed by an `api` node), the store answers, and in distributed
   * mode the queue; 503 with the reason otherwise. Each is asked again every time, so readiness comes
   * back by itself when PostgreSQL or Redis do.
   */
  @Get('readyz')
  async ready(@Res({ passthrough: true }) response: Response): Promise<object> {
    const { role } = this.config;
    const state = this.engine.state;
    const needsModel = role !== 'api';
    const unavailable = needsModel && state.status !== 'ready' ? state : await this.missingPart();
    if (unavailable) {
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
      return unavailable;
    }
    return state.status === 'ready' && needsModel
      ? { status: 'ready', role, model: modelSummary(state.info) }
      : { status: 'ready', role };
  }

  private async missingPart(): Promise<object | null> {
    const checks = [
      { code: 'STORE_UNAVAILABLE', what: 'the database', check: () => this.database.ping() },
      { code: 'QUEUE_UNAVAILABLE', what: 'the job queue (Redis)', check: () => this.jobs.pingQueue() },
    ];
    for (const { code, what, check } of checks) {
      const error = await check().then(
        () => null,
        (e: unknown) => e as Error,
      );
      if (error)
        return { status: 'unavailable', code, reason: `${what} cannot be reached: ${error.message}` };
    }
    return null;
  }
}

function modelSummary(info: ModelInfo): object {
  return {
    dir: info.dir,
    dtype: info.dtype,
    modelType: info.modelType,
    embeddingDim: info.embeddingDim,
    imageSize: info.imageSize,
    contextLength: info.contextLength,
    logitScale: info.logitScale,
  };
}
