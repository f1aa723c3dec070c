import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { JobService } from '../jobs/job.service.js';
import { submitterOf } from '../jobs/job-submitter.js';
import { GenerateInput, GenerationResult } from './generation.types.js';

@Resolver()
export class GenerationResolver {
  constructor(@Inject(JobService) private readonly jobs: JobService) {}

  @Mutation(() => GenerationResult, {
    description:
      'Asks the generators for candidates, ranks them with CLIP against the prompt, stores each as an asset. ' +
      'Runs as a job this request waits for (see submitGenerate).',
  })
  async generate(
    @Args('input', { type: () => GenerateInput }) input: GenerateInput,
    @Context('req') req: IncomingMessage,
  ): Promise<GenerationResult> {
    return (await this.jobs.run('generate', input, submitterOf(req), requestSignal(req))) as GenerationResult;
  }
}
