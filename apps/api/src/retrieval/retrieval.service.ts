import { cutByPercentile, type PercentileCut } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { type AssetMatch, AssetService } from '../assets/asset-service.js';
import { ApiError } from '../errors/api-error.js';
import { ImageInputService } from '../images/image-input.service.js';
import type { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { CaptionCorpusService } from './caption-corpus.service.js';

const MAX_K = 100;

/** What to search stored assets by: exactly one of a text and an image. */
export interface AssetQuery {
  text?: string | null;
  image?: ImageInput | null;
}

/** Retrieval both ways: captions for an image from a corpus, stored assets for a text or an image. */
@Injectable()
export class RetrievalService {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(CaptionCorpusService) private readonly corpus: CaptionCorpusService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  /** Of the k captions of the corpus nearest to the image, those above the least percentile. */
  async captionByRetrieval(
    image: ImageInput,
    k: number,
    signal: AbortSignal,
    minPercentile?: number | null,
  ): Promise<PercentileCut<{ caption: string; score: number }>> {
    checkK(k);
    const resolved = await this.images.resolve(image, signal);
    return (await this.corpus.get()).caption(this.work.clip, resolved.image, k, { minPercentile });
  }

  /** Of the k stored assets nearest to the query, best first, those above the least percentile. */
  async searchAssets(
    query: AssetQuery,
    k: number,
    signal: AbortSignal,
    minPercentile?: number | null,
  ): Promise<PercentileCut<AssetMatch>> {
    checkK(k);
    const hasText = typeof query.text === 'string';
    if (hasText === Boolean(query.image))
      throw new ApiError('BAD_REQUEST', 'searchAssets takes exactly one of text, image');
    const [vector] = hasText
      ? await this.work.clip.embedTexts([this.limits.prompt(query.text!, 'text')])
      : await this.work.clip.embedImages([(await this.images.resolve(query.image!, signal)).image]);
    const matches = await this.assets.nearest({ modelKey: this.work.modelKey, vector: vector! }, k);
    return cutByPercentile(this.work.clip, matches, hasText ? 'image-text' : 'image-image', minPercentile);
  }
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K)
    throw new ApiError('BAD_REQUEST', `k must be an integer from 1 to ${MAX_K}`);
}
