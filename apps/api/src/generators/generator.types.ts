import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class GeneratorSizesType {
  @Field(() => Int) minWidth!: number;
  @Field(() => Int) maxWidth!: number;
  @Field(() => Int) minHeight!: number;
  @Field(() => Int) maxHeight!: number;
  @Field(() => Int) multipleOf!: number;
}

@ObjectType()
export class GeneratorCapabilitiesType {
  @Field(() => Boolean) textToImage!: boolean;
  @Field(() => Boolean) imageToImage!: boolean;
  @Field(() => GeneratorSizesType) sizes!: GeneratorSizesType;
  @Field(() => Int) maxImagesPerCall!: number;
  @Field(() => Boolean) seed!: boolean;
  @Field(() => Boolean) negativePrompt!: boolean;
  @Field(() => Boolean, { description: 'Repaints only where a mask says (image-to-image with a mask).' })
  inpainting!: boolean;
}

@ObjectType({ description: 'A configured image generator.' })
export class GeneratorInfo {
  @Field(() => String, { description: 'The id requests name it by.' })
  id!: string;
  @Field(() => String, { description: 'The plugin that built it, e.g. procedural, huggingface.' })
  kind!: string;
  @Field(() => GeneratorCapabilitiesType)
  capabilities!: GeneratorCapabilitiesType;
}
