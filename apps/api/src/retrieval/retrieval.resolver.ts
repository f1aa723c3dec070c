import { Inject } from '@nestjs/common';
import { Args, Context, Int, Query, Resolver } from '@nestjs/graphql';
import type { IncomingMessage } from 'node:http';
import { AssetService } from '../assets/asset-service.js';
import { ApiError } from '../errors/api-error.js';
import { requestSignal } from '../http/request-signal.js';
import { assetView } from '../images/asset-view.js';
import { ImageInputService } from '../images/image-input.service.js';
import { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { AssetIndexService } from './asset-index.service.js';
import { CaptionCorpusService } from './caption-corpus.service.js';
import { AssetHit, RetrievedCaption } from './retrieval.types.js';

@Resolver()
export class RetrievalResolver {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(CaptionCorpusService) private readonly corpus: CaptionCorpusService,
    @Inject(AssetIndexService) private readonly index: AssetIndexService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  @Query(() => [RetrievedCaption], {
    description: 'Captions an image by retrieval: the k nearest captions of the corpus.',
  })
  async captionByRetrieval(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('k', { type: () => Int, nullable: true, defaultValue: 5 }) k: number,
    @Context('req') req: IncomingMessage,
  ): Promise<RetrievedCaption[]> {
    this.checkK(k);
    const { bytes } = await this.images.resolve(image, requestSignal(req));
    return (await this.corpus.get()).caption(this.work.clip, bytes, k);
  }

  @Query(() => [AssetHit], { description: 'Stored assets nearest to a text or an image (give exactly one).' })
  async searchAssets(
    @Args('text', { type: () => String, nullable: true }) text: string | null | undefined,
    @Args('image', { type: () => ImageInput, nullable: true }) image: ImageInput | null | undefined,
    @Args('k', { type: () => Int, nullable: true, defaultValue: 10 }) k: number,
    @Context('req') req: IncomingMessage,
  ): Promise<AssetHit[]> {
    this.checkK(k);
    const hasText = typeof text === 'string';
    if (hasText === Boolean(image))
      throw new ApiError('BAD_REQUEST', 'searchAssets takes exactly one of text, image');
    const [query] = hasText
      ? await this.work.clip.embedTexts([this.limits.prompt(text, 'text')])
      : await this.work.clip.embedImages([(await this.images.resolve(image!, requestSignal(req))).bytes]);
    return this.index.search(query!, k).flatMap((hit) => {
      const record = this.assets.get(hit.id);
      return record ? [{ asset: assetView(record), score: hit.score }] : [];
    });
  }

  private checkK(k: number): void {
    if (!Number.isInteger(k) || k < 1 || k > 100)
      throw new ApiError('BAD_REQUEST', 'k must be an integer from 1 to 100');
  }
}
