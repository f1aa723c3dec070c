import { Inject } from '@nestjs/common';
import { Query, Resolver } from '@nestjs/graphql';
import { GENERATOR_REGISTRY } from './generators.providers.js';
import type { GeneratorRegistry } from '#generators';
import { GeneratorInfo } from './generator.types.js';

@Resolver()
export class GeneratorsResolver {
  constructor(@Inject(GENERATOR_REGISTRY) private readonly registry: GeneratorRegistry) {}

  @Query(() => [GeneratorInfo], { description: 'The configured generators.' })
  generators(): GeneratorInfo[] {
    return this.registry.list().map(({ id, kind, capabilities }) => ({ id, kind, capabilities }));
  }
}
