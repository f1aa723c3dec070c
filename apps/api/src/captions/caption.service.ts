import { type CaptionScore, rankCaptions, type RankedCaption, scoreCaptions } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { AssetService } from '../assets/asset-service.js';
import { ImageInputService } from '../images/image-input.service.js';
import type { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import type { ScoreCaptionsInput } from './caption.types.js';

/** A caption as given, trimmed, with its scores. */
export type ScoredCaption = CaptionScore & { caption: string };

/** Caption scores (CLIPScore, RefCLIPScore) and ranking, recorded on the assets they name when asked. */
@Injectable()
export class CaptionService {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  async score(input: ScoreCaptionsInput, signal: AbortSignal): Promise<ScoredCaption[]> {
    const items = this.limits.items(input.items, 'items').map((item, i) => ({
      image: item.image,
      caption: this.limits.prompt(item.caption, `items[${i}].caption`),
      references: (item.references ?? []).map((r, k) =>
        this.limits.prompt(r, `items[${i}].references[${k}]`),
      ),
    }));
    const images = await Promise.all(items.map((item) => this.images.resolve(item.image, signal)));
    const scores = await scoreCaptions(
      this.work.clip,
      items.map((item, i) => ({
        image: images[i]!.image,
        caption: item.caption,
        references: item.references,
      })),
    );
    if (input.store) {
      for (const [i, image] of images.entries()) {
        if (!image.assetId) continue;
        await this.assets.addCaption(image.assetId, {
          caption: items[i]!.caption,
          clipScore: scores[i]!.clipScore,
          refClipScore: scores[i]!.refClipScore,
        });
      }
    }
    return scores.map((score, i) => ({ ...score, caption: items[i]!.caption }));
  }

  /** Which of the captions fits the image best, best first. */
  async rank(image: ImageInput, captions: readonly string[], signal: AbortSignal): Promise<RankedCaption[]> {
    const texts = this.limits
      .items(captions, 'captions')
      .map((c, i) => this.limits.prompt(c, `captions[${i}]`));
    const { image: verified } = await this.images.resolve(image, signal);
    return rankCaptions(this.work.clip, verified, texts);
  }
}
