import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { ModelInfoType } from './model.types.js';

@Resolver()
export class ModelsResolver {
  constructor(@Inject(ClipEngineService) private readonly engine: ClipEngineService) {}

  @Query(() => [ModelInfoType], { description: 'The CLIP models loaded (one per process today).' })
  models(): ModelInfoType[] {
    const state = this.engine.state;
    if (state.status !== 'ready') return [];
    const { info } = state;
    return [
      {
        dir: info.dir,
        dtype: info.dtype,
        modelType: info.modelType,
        embeddingDim: info.embeddingDim,
        imageSize: info.imageSize.width,
        contextLength: info.contextLength,
        logitScale: info.logitScale,
        ready: true,
      },
    ];
  }
}
