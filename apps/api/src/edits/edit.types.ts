import { Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { JSONScalar } from '../graphql/json.scalar.js';
import { Asset } from '../images/asset.type.js';
import { ImageInput } from '../images/image-input.type.js';
import { GeneratorErrorType } from '../generation/generation.types.js';

export enum EditMode {
  /** Search clipsmith's edit operators (tint, hue, saturation, blur, …) steered by CLIP. */
  OPERATORS = 'OPERATORS',
  /** Ask image-to-image generators for tries and pick the best by the same CLIP criteria. */
  GENERATOR = 'GENERATOR',
  /** Generators when one that edits images is configured, else operators. */
  AUTO = 'AUTO',
}
registerEnumType(EditMode, { name: 'EditMode' });

@InputType()
export class EditImageInput {
  @Field(() => ImageInput) image!: ImageInput;
  @Field(() => String, { description: 'e.g. "make the circle green", "black and white", "sepia style".' })
  instruction!: string;
  @Field(() => EditMode, { nullable: true, defaultValue: EditMode.OPERATORS }) mode?: EditMode;
  @Field(() => Int, {
    nullable: true,
    description: 'Most CLIP evaluations (operators) or tries per generator.',
  })
  budget?: number | null;
  @Field(() => String, { nullable: true, description: 'Override the text the image starts from.' })
  sourceText?: string | null;
  @Field(() => String, { nullable: true, description: 'Override the text the image should move toward.' })
  targetText?: string | null;
  @Field(() => Float, { nullable: true, description: 'Least cosine to the original an edit may have.' })
  preservationFloor?: number | null;
  @Field(() => Float, { nullable: true, description: 'Least directional similarity to count as done.' })
  acceptThreshold?: number | null;
  @Field(() => [String], { nullable: true, description: 'Generators to use in GENERATOR mode.' })
  generators?: string[] | null;
  @Field(() => ImageInput, {
    nullable: true,
    description:
      'Where the edit may change the picture: white editable, black kept (stretched to the image). Overrides the part the instruction names.',
  })
  mask?: ImageInput | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Most mean CIEDE2000 outside the mask for an edit to be accepted (default 2).',
  })
  maxOutsideChange?: number | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'Other edits to answer beside the chosen one (default 0): the next best that look clearly different from it and each other; fewer when the search found fewer. The chosen one and its alternatives together are at most MAX_CANDIDATES.',
  })
  alternatives?: number | null;
}

@ObjectType({ description: 'A box in the input image, in its pixels.' })
export class EditRegion {
  @Field(() => Int) x!: number;
  @Field(() => Int) y!: number;
  @Field(() => Int) width!: number;
  @Field(() => Int) height!: number;
}

@ObjectType()
export class EditOperation {
  @Field(() => String) name!: string;
  @Field(() => JSONScalar) params!: Record<string, unknown>;
}

@ObjectType()
export class EditStepType {
  @Field(() => String) stage!: string;
  @Field(() => [EditOperation]) operations!: EditOperation[];
  @Field(() => Float) directionalSimilarity!: number;
  @Field(() => Float) preservation!: number;
  @Field(() => Float) targetSimilarity!: number;
  @Field(() => Boolean) keepsImage!: boolean;
}

@ObjectType({ description: 'One edit answered: its image, how it was made and its scores.' })
export class EditAlternative {
  @Field(() => Boolean, {
    description: 'Reached the accept threshold while keeping the image; false says so honestly.',
  })
  accepted!: boolean;
  @Field(() => Float) directionalSimilarity!: number;
  @Field(() => Float) preservation!: number;
  @Field(() => Float) targetSimilarity!: number;
  @Field(() => Asset, { description: 'The edited image (the input itself when no edit kept the image).' })
  asset!: Asset;
  @Field(() => [EditOperation], {
    description: 'Replayable chain (OPERATORS mode); empty for generator edits.',
  })
  operations!: EditOperation[];
  @Field(() => String, { nullable: true }) generator!: string | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Mean CIEDE2000 against the input outside the mask (about 1: just visible); null without a mask.',
  })
  outsideChange!: number | null;
}

@ObjectType()
export class EditResult extends EditAlternative {
  @Field(() => String) mode!: string;
  @Field(() => String) sourceText!: string;
  @Field(() => String) targetText!: string;
  @Field(() => [EditStepType], { description: 'Every candidate tried, with its scores.' })
  steps!: EditStepType[];
  @Field(() => Int, { description: 'CLIP image evaluations spent (OPERATORS) or tries scored (GENERATOR).' })
  evaluations!: number;
  @Field(() => [GeneratorErrorType]) errors!: GeneratorErrorType[];
  @Field(() => String, {
    nullable: true,
    description:
      'The part of the picture the instruction names ("square", "background"); null: the whole picture.',
  })
  part!: string | null;
  @Field(() => Asset, {
    nullable: true,
    description: 'What the edit was allowed to touch (PNG, white editable); null for a whole-picture edit.',
  })
  mask!: Asset | null;
  @Field(() => EditRegion, { nullable: true, description: 'The box around the mask, in input pixels.' })
  region!: EditRegion | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why nothing was edited (the named part was not found).',
  })
  reason!: string | null;
  @Field(() => [EditAlternative], {
    description:
      'The other edits asked for (input alternatives), best first: with this one, accepted edits first, each group by the search’s ranking.',
  })
  alternatives!: EditAlternative[];
}
