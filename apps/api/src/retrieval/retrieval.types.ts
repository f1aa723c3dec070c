import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { Asset } from '../images/asset.type.js';

const PERCENTILE =
  'Share (0–100) of the model’s mismatched pairs scoring below `score` (image–text, or image–image for an image query); null when the model has no calibration.';
const DROPPED =
  'How many of the k nearest scored no better than minPercentile: none left means no good match.';

@ObjectType()
export class RetrievedCaption {
  @Field(() => String) caption!: string;
  @Field(() => Float, { description: 'Cosine of image and caption.' }) score!: number;
  @Field(() => Float, { nullable: true, description: PERCENTILE }) percentile!: number | null;
}

@ObjectType({ description: 'The nearest captions of the corpus above minPercentile, best first.' })
export class CaptionRetrieval {
  @Field(() => [RetrievedCaption]) captions!: RetrievedCaption[];
  @Field(() => Int, { description: DROPPED }) droppedBelowPercentile!: number;
}

@ObjectType()
export class AssetHit {
  @Field(() => Asset) asset!: Asset;
  @Field(() => Float, { description: 'Cosine to the query.' }) score!: number;
  @Field(() => Float, { nullable: true, description: PERCENTILE }) percentile!: number | null;
}

@ObjectType({ description: 'The stored assets nearest to the query above minPercentile, best first.' })
export class AssetSearch {
  @Field(() => [AssetHit]) hits!: AssetHit[];
  @Field(() => Int, { description: DROPPED }) droppedBelowPercentile!: number;
}
