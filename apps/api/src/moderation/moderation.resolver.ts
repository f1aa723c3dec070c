import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { assetView } from '../images/asset-view.js';
import { ImageInput } from '../images/image-input.type.js';
import { MODEL_CALL_PORT, type ModelCallPort } from '../model-calls/model-call-port.js';
import { ModerationPolicyInput, ModerationResult } from './moderation.types.js';

@Resolver()
export class ModerationResolver {
  constructor(@Inject(MODEL_CALL_PORT) private readonly calls: ModelCallPort) {}

  @Mutation(() => ModerationResult, {
    description: 'Checks an image against rules in words; says which fired, where, and stores a heat map.',
  })
  async moderate(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('policy', { type: () => ModerationPolicyInput }) policy: ModerationPolicyInput,
    @Context('req') req: IncomingMessage,
  ): Promise<ModerationResult> {
    const result = await this.calls.call('moderate', { image, policy }, requestSignal(req));
    return { ...result, heatmap: assetView(result.heatmap) };
  }
}
