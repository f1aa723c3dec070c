import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { GenerationService } from './generation.service.js';
import { GenerateInput, GenerationResult } from './generation.types.js';

@Resolver()
export class GenerationResolver {
  constructor(@Inject(GenerationService) private readonly generation: GenerationService) {}

  @Mutation(() => GenerationResult, {
    description:
      'Asks the generators for candidates, ranks them with CLIP against the prompt, stores each as an asset.',
  })
  generate(
    @Args('input', { type: () => GenerateInput }) input: GenerateInput,
    @Context('req') req: IncomingMessage,
  ): Promise<GenerationResult> {
    return this.generation.generate(input, requestSignal(req));
  }
}
