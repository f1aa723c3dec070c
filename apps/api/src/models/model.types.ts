import { Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'A CLIP model the service serves.' })
export class ModelInfoType {
  @Field(() => String, { description: 'Folder it was loaded from.' })
  dir!: string;
  @Field(() => String)
  dtype!: string;
  @Field(() => String)
  modelType!: string;
  @Field(() => Int)
  embeddingDim!: number;
  @Field(() => Int)
  imageSize!: number;
  @Field(() => Int, { description: 'Tokens a text is truncated to.' })
  contextLength!: number;
  @Field(() => Float, { description: 'Multiplier from cosine to logit.' })
  logitScale!: number;
  @Field(() => Boolean)
  ready!: boolean;
}
