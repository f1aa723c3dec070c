import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { ImageInput } from '../images/image-input.type.js';
import { MODEL_CALL_PORT, type ModelCallPort } from '../model-calls/model-call-port.js';
import { CaptionScore, RankedCaptionType, ScoreCaptionsInput } from './caption.types.js';

@Resolver()
export class CaptionsResolver {
  constructor(@Inject(MODEL_CALL_PORT) private readonly calls: ModelCallPort) {}

  @Mutation(() => [CaptionScore], {
    description: 'CLIPScore and RefCLIPScore for image–caption pairs, one per item.',
  })
  scoreCaptions(
    @Args('input', { type: () => ScoreCaptionsInput }) input: ScoreCaptionsInput,
    @Context('req') req: IncomingMessage,
  ): Promise<CaptionScore[]> {
    return this.calls.call('scoreCaptions', input, requestSignal(req));
  }

  @Query(() => [RankedCaptionType], {
    description: 'Which of these captions fits the image best, best first.',
  })
  rankCaptions(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('captions', { type: () => [String] }) captions: string[],
    @Context('req') req: IncomingMessage,
  ): Promise<RankedCaptionType[]> {
    return this.calls.call('rankCaptions', { image, captions }, requestSignal(req));
  }
}
