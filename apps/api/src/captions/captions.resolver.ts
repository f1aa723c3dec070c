import { rankCaptions, scoreCaptions } from '#guidance';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { IncomingMessage } from 'node:http';
import { AssetService } from '../assets/asset-service.js';
import { requestSignal } from '../http/request-signal.js';
import { ImageInputService } from '../images/image-input.service.js';
import { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { CaptionScore, RankedCaptionType, ScoreCaptionsInput } from './caption.types.js';

@Resolver()
export class CaptionsResolver {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  @Mutation(() => [CaptionScore], {
    description: 'CLIPScore and RefCLIPScore for image–caption pairs, one per item.',
  })
  async scoreCaptions(
    @Args('input', { type: () => ScoreCaptionsInput }) input: ScoreCaptionsInput,
    @Context('req') req: IncomingMessage,
  ): Promise<CaptionScore[]> {
    const signal = requestSignal(req);
    const items = this.limits.items(input.items, 'items');
    const resolved = await Promise.all(
      items.map(async (item, i) => ({
        image: await this.images.resolve(item.image, signal),
        caption: this.limits.prompt(item.caption, `items[${i}].caption`),
        references: (item.references ?? []).map((r, k) =>
          this.limits.prompt(r, `items[${i}].references[${k}]`),
        ),
      })),
    );
    const scores = await scoreCaptions(
      this.work.clip,
      resolved.map((r) => ({ image: r.image.bytes, caption: r.caption, references: r.references })),
    );
    if (input.store) {
      resolved.forEach((r, i) => {
        if (r.image.assetId) {
          this.assets.addCaption(r.image.assetId, {
            caption: r.caption,
            clipScore: scores[i]!.clipScore,
            refClipScore: scores[i]!.refClipScore,
          });
        }
      });
    }
    return scores.map((s, i) => ({ caption: resolved[i]!.caption, ...s }));
  }

  @Query(() => [RankedCaptionType], {
    description: 'Which of these captions fits the image best, best first.',
  })
  async rankCaptions(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('captions', { type: () => [String] }) captions: string[],
    @Context('req') req: IncomingMessage,
  ): Promise<RankedCaptionType[]> {
    const texts = this.limits
      .items(captions, 'captions')
      .map((c, i) => this.limits.prompt(c, `captions[${i}]`));
    const { bytes } = await this.images.resolve(image, requestSignal(req));
    return rankCaptions(this.work.clip, bytes, texts);
  }
}
