import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { GeneratorInfo } from './generator.types.js';
import { GeneratorsService } from './generators.service.js';

@Resolver()
export class GeneratorsResolver {
  constructor(@Inject(GeneratorsService) private readonly service: GeneratorsService) {}

  @Query(() => [GeneratorInfo], { description: 'The configured generators.' })
  generators(): GeneratorInfo[] {
    return this.service.list().map(({ id, kind, capabilities }) => ({
      id,
      kind,
      capabilities: { ...capabilities, inpainting: capabilities.inpainting ?? false },
    }));
  }
}
