import { moderate } from '#guidance';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { IncomingMessage } from 'node:http';
import { AssetService } from '../assets/asset-service.js';
import { requestSignal } from '../http/request-signal.js';
import { assetView } from '../images/asset-view.js';
import { ImageInputService } from '../images/image-input.service.js';
import { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { ModerationPolicyInput, ModerationResult } from './moderation.types.js';

@Resolver()
export class ModerationResolver {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  @Mutation(() => ModerationResult, {
    description: 'Checks an image against rules in words; says which fired, where, and stores a heat map.',
  })
  async moderate(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('policy', { type: () => ModerationPolicyInput }) policy: ModerationPolicyInput,
    @Context('req') req: IncomingMessage,
  ): Promise<ModerationResult> {
    this.limits.items(policy.rules, 'policy.rules');
    const { bytes, assetId } = await this.images.resolve(image, requestSignal(req));
    const result = await moderate(
      this.work.clip,
      bytes,
      {
        rules: policy.rules.map((r) => ({
          name: r.name,
          description: r.description,
          counterDescriptions: r.counterDescriptions ?? undefined,
          threshold: r.threshold ?? undefined,
        })),
        baseline: policy.baseline ?? undefined,
      },
      { imageLimits: this.limits.imageLimits, maxRules: Number.MAX_SAFE_INTEGER },
    );
    const heatmap = await this.assets.store(result.heatmap.png, {
      source: 'heatmap',
      prompt: policy.rules.find((r) => r.name === result.heatmap.rule)!.description,
      parameters: { rule: result.heatmap.rule },
      editedFrom: assetId,
    });
    return {
      flagged: result.flagged,
      rules: result.rules,
      heatmap: assetView(heatmap),
      heatmapRule: result.heatmap.rule,
    };
  }
}
