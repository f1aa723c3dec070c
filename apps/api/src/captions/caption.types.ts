import { Field, Float, InputType, ObjectType } from '@nestjs/graphql';
import { ImageInput } from '../images/image-input.type.js';

@InputType()
export class CaptionItemInput {
  @Field(() => ImageInput) image!: ImageInput;
  @Field(() => String) caption!: string;
  @Field(() => [String], {
    nullable: true,
    description: 'Reference captions; with them RefCLIPScore is computed.',
  })
  references?: string[] | null;
}

@InputType()
export class ScoreCaptionsInput {
  @Field(() => [CaptionItemInput]) items!: CaptionItemInput[];
  @Field(() => Boolean, {
    nullable: true,
    description: 'Record each caption and its scores on the asset it names.',
  })
  store?: boolean | null;
}

@ObjectType()
export class CaptionScore {
  @Field(() => String) caption!: string;
  @Field(() => Float, { description: 'Cosine of image and caption.' }) similarity!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–100) of the model’s mismatched image–text pairs scoring below `similarity`; null when the model has no calibration.',
  })
  percentile!: number | null;
  @Field(() => Float, { description: '2.5 · max(cos, 0) (Hessel et al. 2021).' }) clipScore!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Harmonic mean with the best reference; null without references.',
  })
  refClipScore!: number | null;
}

@ObjectType()
export class RankedCaptionType {
  @Field(() => String) caption!: string;
  @Field(() => Float) similarity!: number;
  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–100) of the model’s mismatched image–text pairs scoring below `similarity`; null when the model has no calibration.',
  })
  percentile!: number | null;
  @Field(() => Float) clipScore!: number;
  @Field(() => Float, { description: 'Softmax over the given captions.' }) probability!: number;
}

@ObjectType({
  description: 'A caption recorded on an asset by scoreCaptions (store: true), with its scores then.',
})
export class StoredCaption {
  @Field(() => String) caption!: string;
  @Field(() => Float, { nullable: true, description: '2.5 · max(cos, 0) (Hessel et al. 2021).' })
  clipScore!: number | null;
  @Field(() => Float, { nullable: true, description: 'Null when it was scored without references.' })
  refClipScore!: number | null;
  @Field(() => String) createdAt!: string;
}
