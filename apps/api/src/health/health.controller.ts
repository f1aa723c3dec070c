import type { ModelInfo } from '#clip';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ClipEngineService } from '../engine/clip-engine.service.js';

@Controller()
export class HealthController {
  constructor(@Inject(ClipEngineService) private readonly engine: ClipEngineService) {}

  /** Liveness: the process answers. */
  @Get('healthz')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the model is loaded; 503 with the reason while it loads or when it failed. */
  @Get('readyz')
  ready(@Res({ passthrough: true }) response: Response): object {
    const state = this.engine.state;
    if (state.status !== 'ready') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return state.status === 'ready' ? { status: 'ready', model: modelSummary(state.info) } : state;
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
