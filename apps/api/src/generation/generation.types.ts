import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../graphql/json.scalar.js';
import { Asset } from '../images/asset.type.js';

@InputType()
export class GenerateInput {
  @Field(() => String) prompt!: string;
  @Field(() => String, { nullable: true }) negativePrompt?: string | null;
  @Field(() => Int, { nullable: true, description: 'Candidates per generator (default 4).' }) count?:
    number | null;
  @Field(() => [String], { nullable: true, description: 'Generator ids; all configured ones when omitted.' })
  generators?: string[] | null;
  @Field(() => Int, { nullable: true }) width?: number | null;
  @Field(() => Int, { nullable: true }) height?: number | null;
  @Field(() => Int, { nullable: true, description: 'Seed of the first candidate; the others follow it.' })
  seed?: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Maximal-marginal-relevance λ in [0, 1]: 1 ranks by relevance only (default), lower favours variety.',
  })
  diversity?: number | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Drops candidates whose percentile is no better than this (0–100; 50 is chance); needs a calibrated model.',
  })
  minPercentile?: number | null;
}

@ObjectType({
  description: 'Why a candidate ranks where it does. Cosines are raw, so comparable across requests.',
})
export class CandidateScores {
  @Field(() => Float, { description: 'Cosine similarity of image and prompt.' }) similarity!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–100) of the model’s mismatched image–text pairs scoring below `similarity`; null when the model has no calibration.',
  })
  percentile!: number | null;
  @Field(() => Float, { description: '2.5 · max(similarity, 0).' }) clipScore!: number;
  @Field(() => Float, { nullable: true }) negativeSimilarity!: number | null;
  @Field(() => Float) negativePenalty!: number;
  @Field(() => Float) relevance!: number;
  @Field(() => Float, { description: 'Highest cosine to a better-ranked candidate.' }) redundancy!: number;
  @Field(() => Float) rankScore!: number;
}

@ObjectType()
export class RankedCandidate {
  @Field(() => Int) rank!: number;
  @Field(() => String) generator!: string;
  @Field(() => Float, { nullable: true }) seed!: number | null;
  @Field(() => String) model!: string;
  @Field(() => JSONScalar) parameters!: Record<string, unknown>;
  @Field(() => Asset) asset!: Asset;
  @Field(() => CandidateScores) scores!: CandidateScores;
}

@ObjectType({ description: 'A generator that failed for this request; the others still answered.' })
export class GeneratorErrorType {
  @Field(() => String) generator!: string;
  @Field(() => String) code!: string;
  @Field(() => String) message!: string;
  @Field(() => Int) retries!: number;
}

@ObjectType()
export class GenerationResult {
  @Field(() => String, { description: 'Identifies this request; stored assets carry it.' }) id!: string;
  @Field(() => [RankedCandidate]) candidates!: RankedCandidate[];
  @Field(() => Int, {
    description: 'Candidates that scored no better than minPercentile, neither returned nor stored.',
  })
  droppedBelowPercentile!: number;
  @Field(() => [GeneratorErrorType]) errors!: GeneratorErrorType[];
}
