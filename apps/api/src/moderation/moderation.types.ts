import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Asset } from '../images/asset.type.js';

@InputType()
export class ModerationRuleInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'What to flag, in words.' }) description!: string;
  @Field(() => [String], { nullable: true, description: 'What looks similar but is fine.' })
  counterDescriptions?: string[] | null;
  @Field(() => Float, { nullable: true, description: 'Flag at or above this score (0–1, default 0.5).' })
  threshold?: number | null;
}

@InputType()
export class ModerationPolicyInput {
  @Field(() => [ModerationRuleInput]) rules!: ModerationRuleInput[];
  @Field(() => [String], { nullable: true, description: 'Neutral captions every rule competes with.' })
  baseline?: string[] | null;
}

@ObjectType({ description: 'A region of the input image, in its pixels.' })
export class Region {
  @Field(() => Int) x!: number;
  @Field(() => Int) y!: number;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => Float) score!: number;
}

@ObjectType()
export class RuleVerdict {
  @Field(() => String) name!: string;
  @Field(() => Float, {
    description:
      'Score of the region localised in the best window, seen with context around it; flagged at or above the threshold.',
  })
  score!: number;
  @Field(() => Float, {
    description: 'Best over the whole image and every window: where to look, not the verdict.',
  })
  windowScore!: number;
  @Field(() => Float) imageScore!: number;
  @Field(() => Float) threshold!: number;
  @Field(() => Boolean) flagged!: boolean;
  @Field(() => [Region], {
    description: 'Where the rule fired, best first: the localised region, then the next windows.',
  })
  regions!: Region[];
}

@ObjectType()
export class ModerationResult {
  @Field(() => Boolean) flagged!: boolean;
  @Field(() => [RuleVerdict]) rules!: RuleVerdict[];
  @Field(() => Asset, { description: 'Heat map of the highest-scoring rule over the image.' })
  heatmap!: Asset;
  @Field(() => String) heatmapRule!: string;
}
