import { Field, Float, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class LabelScore {
  @Field(() => String) label!: string;
  @Field(() => Float, { description: 'Softmax over the labels at the model’s logit scale (÷ temperature).' })
  probability!: number;
  @Field(() => Float, { description: 'Cosine of the image and the label’s template ensemble.' })
  similarity!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–100) of the model’s mismatched image–text pairs scoring below `similarity`; null when the model has no calibration.',
  })
  percentile!: number | null;
}
