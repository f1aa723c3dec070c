import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { requestSignal } from '../http/request-signal.js';
import { JobService } from '../jobs/job.service.js';
import { submitterOf } from '../jobs/job-submitter.js';
import { EditImageInput, EditResult } from './edit.types.js';

@Resolver()
export class EditResolver {
  constructor(@Inject(JobService) private readonly jobs: JobService) {}

  @Mutation(() => EditResult, {
    description:
      'Edits an image toward an instruction, verified by CLIP; says whether the edit was accepted. ' +
      'Runs as a job this request waits for (see submitEdit).',
  })
  async editImage(
    @Args('input', { type: () => EditImageInput }) input: EditImageInput,
    @Context('req') req: IncomingMessage,
  ): Promise<EditResult> {
    return (await this.jobs.run('edit', input, submitterOf(req), requestSignal(req))) as EditResult;
  }
}
