import { moderate, type ModerationPolicy, type ModerationResult, validatePolicy } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import type { AssetRecord } from '../assets/asset-record.js';
import { AssetService } from '../assets/asset-service.js';
import { ImageInputService } from '../images/image-input.service.js';
import type { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import type { ModerationPolicyInput } from './moderation.types.js';

/** The verdicts, and the heat map of the highest-scoring rule stored as an asset. */
export interface Moderation {
  flagged: boolean;
  rules: ModerationResult['rules'];
  heatmap: AssetRecord;
  heatmapRule: string;
}

/** Moderation by rules in words: which rules fire, where in the image, and a heat map to show it. */
@Injectable()
export class ModerationService {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  async moderate(image: ImageInput, input: ModerationPolicyInput, signal: AbortSignal): Promise<Moderation> {
    const policy = this.policy(input);
    const source = await this.images.resolve(image, signal);
    const result = await moderate(this.work.clip, source.image, policy, {
      imageLimits: this.limits.imageLimits,
      maxRules: Number.MAX_SAFE_INTEGER,
    });
    const rule = policy.rules.find((r) => r.name === result.heatmap.rule)!;
    const heatmap = await this.assets.store(result.heatmap.image, {
      source: 'heatmap',
      prompt: rule.description,
      parameters: { rule: rule.name },
      editedFrom: source.assetId,
    });
    return { flagged: result.flagged, rules: result.rules, heatmap, heatmapRule: rule.name };
  }

  /** The policy checked whole (MAX_ITEMS rules, each named and described) before any image is read. */
  private policy(input: ModerationPolicyInput): ModerationPolicy {
    const policy: ModerationPolicy = {
      rules: this.limits.items(input.rules, 'policy.rules').map((r) => ({
        name: r.name,
        description: r.description,
        counterDescriptions: r.counterDescriptions ?? undefined,
        threshold: r.threshold ?? undefined,
      })),
      baseline: input.baseline ?? undefined,
    };
    validatePolicy(policy, { maxRules: Number.MAX_SAFE_INTEGER });
    return policy;
  }
}
