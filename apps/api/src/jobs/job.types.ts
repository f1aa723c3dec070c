import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { EditResult } from '../edits/edit.types.js';
import { GenerationResult } from '../generation/generation.types.js';
import { PageInfo } from '../images/assets.resolver.js';
import type { EditResult as EditResultValue } from '../edits/edit.types.js';
import type { JobRecord } from './job-record.js';

export enum JobStateValue {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(JobStateValue, { name: 'JobState' });

@ObjectType('JobProgress', { description: '`done` of `total` steps of the current stage.' })
export class JobProgressType {
  @Field(() => String, {
    description:
      'queued, starting, generating (calls), scoring (candidates), storing, evaluating (edit budget), done.',
  })
  stage!: string;
  @Field(() => Int) done!: number;
  @Field(() => Int) total!: number;
}

@ObjectType('JobError')
export class JobErrorType {
  @Field(() => String, { description: 'An API error code, or CANCELLED, TIMEOUT, INTERRUPTED.' })
  code!: string;
  @Field(() => String) message!: string;
}

@ObjectType({
  description: 'A generate or edit request run in the background, with its progress and result.',
})
export class Job {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'generate or edit.' }) kind!: string;
  @Field(() => JobStateValue) state!: JobStateValue;
  @Field(() => JobProgressType) progress!: JobProgressType;
  @Field(() => String) createdAt!: string;
  @Field(() => String) updatedAt!: string;
  @Field(() => String, { nullable: true }) startedAt!: string | null;
  @Field(() => String, { nullable: true }) finishedAt!: string | null;
  @Field(() => Int, { description: 'Runs started; more than 1 after the node running it died.' })
  attempts!: number;
  @Field(() => GenerationResult, {
    nullable: true,
    description: 'A generate job’s result; for a cancelled one, the candidates stored before it stopped.',
  })
  generation!: GenerationResult | null;
  @Field(() => EditResult, { nullable: true }) edit!: EditResultValue | null;
  @Field(() => JobErrorType, { nullable: true }) error!: JobErrorType | null;
}

@ObjectType()
export class JobEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Job) node!: Job;
}

@ObjectType()
export class JobConnection {
  @Field(() => [JobEdge]) edges!: JobEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

export function jobView(job: JobRecord): Job {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state as JobStateValue,
    progress: job.progress,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    attempts: job.attempts,
    generation: job.kind === 'generate' ? (job.result as GenerationResult | null) : null,
    edit: job.kind === 'edit' ? storedEdit(job.result as EditResultValue | null) : null,
    error: job.error,
  };
}

/** An edit result as stored; those stored before `alternatives` existed had none. */
function storedEdit(result: EditResultValue | null): EditResultValue | null {
  return result && { ...result, alternatives: result.alternatives ?? [] };
}
