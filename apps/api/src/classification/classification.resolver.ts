import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Float, Query, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { ImageInput } from '../images/image-input.type.js';
import { MODEL_CALL_PORT, type ModelCallPort } from '../model-calls/model-call-port.js';
import { LabelScore } from './classification.types.js';

@Resolver()
export class ClassificationResolver {
  constructor(@Inject(MODEL_CALL_PORT) private readonly calls: ModelCallPort) {}

  @Query(() => [LabelScore], {
    description: 'Zero-shot classification with prompt-template ensembles, best first.',
  })
  classify(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('labels', { type: () => [String] }) labels: string[],
    @Args('templates', {
      type: () => [String],
      nullable: true,
      description: 'Templates with {} for the label; default a photo/picture/rendering/… of {}.',
    })
    templates: string[] | null | undefined,
    @Args('temperature', { type: () => Float, nullable: true }) temperature: number | null | undefined,
    @Context('req') req: IncomingMessage,
  ): Promise<LabelScore[]> {
    return this.calls.call('classify', { image, labels, templates, temperature }, requestSignal(req));
  }
}
