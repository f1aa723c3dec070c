import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Float, Int, Query, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { assetView } from '../images/asset-view.js';
import { ImageInput } from '../images/image-input.type.js';
import { MODEL_CALL_PORT, type ModelCallPort } from '../model-calls/model-call-port.js';
import { AssetSearch, CaptionRetrieval } from './retrieval.types.js';

const MIN_PERCENTILE = {
  type: () => Float,
  nullable: true,
  description:
    'Drops results whose percentile is no better than this (0–100; 50 is chance); needs a calibrated model.',
} as const;

@Resolver()
export class RetrievalResolver {
  constructor(@Inject(MODEL_CALL_PORT) private readonly calls: ModelCallPort) {}

  @Query(() => CaptionRetrieval, {
    description: 'Captions an image by retrieval: the k nearest captions of the corpus.',
  })
  async captionByRetrieval(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('k', { type: () => Int, nullable: true, defaultValue: 5 }) k: number,
    @Args('minPercentile', MIN_PERCENTILE) minPercentile: number | null | undefined,
    @Context('req') req: IncomingMessage,
  ): Promise<CaptionRetrieval> {
    const { kept, droppedBelowPercentile } = await this.calls.call(
      'captionByRetrieval',
      { image, k, minPercentile },
      requestSignal(req),
    );
    return { captions: kept, droppedBelowPercentile };
  }

  @Query(() => AssetSearch, {
    description: 'Stored assets nearest to a text or an image (give exactly one).',
  })
  async searchAssets(
    @Args('text', { type: () => String, nullable: true }) text: string | null | undefined,
    @Args('image', { type: () => ImageInput, nullable: true }) image: ImageInput | null | undefined,
    @Args('k', { type: () => Int, nullable: true, defaultValue: 10 }) k: number,
    @Args('minPercentile', MIN_PERCENTILE) minPercentile: number | null | undefined,
    @Context('req') req: IncomingMessage,
  ): Promise<AssetSearch> {
    const { kept, droppedBelowPercentile } = await this.calls.call(
      'searchAssets',
      { query: { text, image }, k, minPercentile },
      requestSignal(req),
    );
    return {
      hits: kept.map((match) => ({
        asset: assetView(match.record),
        score: match.score,
        percentile: match.percentile,
      })),
      droppedBelowPercentile,
    };
  }
}
