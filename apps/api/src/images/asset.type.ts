import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { JSONScalar } from '../graphql/json.scalar.js';

@ObjectType({ description: 'A stored image: generated, uploaded, edited, or a moderation heat map.' })
export class Asset {
  @Field(() => ID) id!: string;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
  @Field(() => String) mime!: string;
  @Field(() => Int) bytes!: number;
  @Field(() => String) source!: string;
  @Field(() => String) createdAt!: string;
  @Field(() => String, { nullable: true }) prompt!: string | null;
  @Field(() => String, { nullable: true }) generator!: string | null;
  @Field(() => Float, { nullable: true }) seed!: number | null;
  @Field(() => JSONScalar, { nullable: true }) parameters!: Record<string, unknown> | null;
  @Field(() => JSONScalar, { nullable: true }) scores!: Record<string, unknown> | null;
  @Field(() => ID, { nullable: true, description: 'The asset this one was edited from.' }) editedFrom!:
    string | null;
  @Field(() => ID, { nullable: true, description: 'The generate request that produced it.' }) generationId!:
    string | null;
}
