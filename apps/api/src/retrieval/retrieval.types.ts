import { Field, Float, ObjectType } from '@nestjs/graphql';
import { Asset } from '../images/asset.type.js';

@ObjectType()
export class RetrievedCaption {
  @Field(() => String) caption!: string;
  @Field(() => Float, { description: 'Cosine of image and caption.' }) score!: number;
}

@ObjectType()
export class AssetHit {
  @Field(() => Asset) asset!: Asset;
  @Field(() => Float, { description: 'Cosine to the query.' }) score!: number;
}
