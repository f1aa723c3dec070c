import type { IncomingMessage } from 'node:http';
import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver, Subscription } from '@nestjs/graphql';
import { encodeCursor } from '../assets/list-cursor.js';
import { EditImageInput } from '../edits/edit.types.js';
import { GenerateInput } from '../generation/generation.types.js';
import { requestSignal } from '../http/request-signal.js';
import { JobService } from './job.service.js';
import { submitterOf } from './job-submitter.js';
import { Job, JobConnection, JobStateValue, jobView } from './job.types.js';

@Resolver(() => Job)
export class JobsResolver {
  constructor(@Inject(JobService) private readonly service: JobService) {}

  @Mutation(() => Job, { description: 'Queues a generate request; watch it with jobUpdated or job(id).' })
  async submitGenerate(
    @Args('input', { type: () => GenerateInput }) input: GenerateInput,
    @Context('req') req: IncomingMessage,
  ): Promise<Job> {
    return jobView(await this.service.submit('generate', input, submitterOf(req), requestSignal(req)));
  }

  @Mutation(() => Job, {
    description:
      'Queues an edit; its image (and mask) are stored as assets first, so the job holds ids only.',
  })
  async submitEdit(
    @Args('input', { type: () => EditImageInput }) input: EditImageInput,
    @Context('req') req: IncomingMessage,
  ): Promise<Job> {
    return jobView(await this.service.submit('edit', input, submitterOf(req), requestSignal(req)));
  }

  @Mutation(() => Job, {
    description: 'Stops a job: its generator calls are aborted; what it stored stays, and its error says so.',
  })
  async cancelJob(@Args('id', { type: () => ID }) id: string): Promise<Job> {
    return jobView(await this.service.cancel(id));
  }

  @Query(() => Job, { nullable: true })
  async job(@Args('id', { type: () => ID }) id: string): Promise<Job | null> {
    const job = await this.service.get(id);
    return job ? jobView(job) : null;
  }

  @Query(() => JobConnection, { description: 'Jobs submitted with the caller’s API key, newest first.' })
  async jobs(
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('state', { type: () => JobStateValue, nullable: true }) state: JobStateValue | null,
    @Context('req') req: IncomingMessage,
  ): Promise<JobConnection> {
    // Omitted arguments arrive as undefined.
    const page = await this.service.list(submitterOf(req).owner, {
      first,
      after: after ?? null,
      state: state ?? null,
    });
    return {
      edges: page.items.map((job) => ({ cursor: encodeCursor(job), node: jobView(job) })),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
    };
  }

  @Subscription(() => Job, {
    description: 'The job now, then every change (state, each progress step) until it is final.',
    resolve: (job: Job) => job,
  })
  async *jobUpdated(@Args('id', { type: () => ID }) id: string): AsyncGenerator<Job> {
    // Ended by the client unsubscribing (return() on this generator) or the job becoming final.
    for await (const job of this.service.watch(id, new AbortController().signal)) yield jobView(job);
  }
}
