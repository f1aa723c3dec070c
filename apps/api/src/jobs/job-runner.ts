import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { toApiError } from '../errors/api-error.js';
import { requestContext } from '../logging/request-context.js';
import { JobEvents } from './job-events.js';
import { JobKinds } from './job-kinds.js';
import type { RunOutcome } from './job-queue.js';
import type { JobFailure, JobProgress, JobRecord } from './job-record.js';
import { JobRepository } from './job-repository.js';

/** Why a run was stopped from outside: someone cancelled it, or its node is shutting down. */
class Stopped extends Error {
  constructor(readonly why: 'cancelled' | 'shutdown') {
    super(why === 'cancelled' ? 'the job was cancelled' : 'the node is shutting down');
  }
}

/**
 * Runs one job on this node: marks it RUNNING, calls its service with a signal (cancel, time limit,
 * shutdown) and a progress callback (each step written to the table and published), then records how
 * it ended. The first ending wins: a job cancelled elsewhere stays cancelled.
 */
@Injectable()
export class JobRunner implements OnModuleInit {
  private readonly logger = new Logger('Jobs');
  private readonly running = new Map<string, AbortController>();
  private handingBack = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JobEvents) private readonly events: JobEvents,
    @Inject(JobKinds) private readonly kinds: JobKinds,
  ) {}

  onModuleInit(): void {
    this.events.onCancel((id) => this.running.get(id)?.abort(new Stopped('cancelled')));
  }

  get active(): number {
    return this.running.size;
  }

  async run(id: string): Promise<RunOutcome> {
    const job = await this.jobs.start(id);
    if (!job) return 'ended'; // final already: cancelled while it waited, or finished by another run
    const controller = new AbortController();
    this.running.set(id, controller);
    if (job.cancelRequested) controller.abort(new Stopped('cancelled'));
    // A run that was starting while handBack() went through goes back too.
    else if (this.handingBack) controller.abort(new Stopped('shutdown'));
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(this.config.jobs.timeoutMs)]);
    let writes: Promise<unknown> = this.events.publishUpdate(job);
    // Written one after another, so the table and subscribers see progress in order.
    const onProgress = (progress: JobProgress): void => {
      writes = writes
        .then(() => this.jobs.progress(id, progress))
        .then((updated) => updated && this.events.publishUpdate(updated))
        .catch(() => undefined);
    };
    let result: unknown = null;
    let failure: unknown = null;
    try {
      // Every log line the run causes names the request that submitted it, on whichever node runs it.
      const work = () => this.kinds.run(job.kind, job.input, signal, onProgress);
      result = await (job.requestId ? requestContext.run({ requestId: job.requestId }, work) : work());
    } catch (error) {
      failure = error;
    } finally {
      this.running.delete(id);
    }
    await writes.catch(() => undefined);
    return this.end(job, signal, result, failure);
  }

  /** Stops every run of this node and puts its job back in the queue for another run. */
  handBack(): void {
    this.handingBack = true;
    for (const [id, controller] of this.running) {
      this.logger.log({ msg: 'handing the job back to the queue', job: id });
      controller.abort(new Stopped('shutdown'));
    }
  }

  private async end(
    job: JobRecord,
    signal: AbortSignal,
    result: unknown,
    failure: unknown,
  ): Promise<RunOutcome> {
    const reason: unknown = signal.aborted ? signal.reason : null;
    if (reason instanceof Stopped && reason.why === 'shutdown') {
      const requeued = await this.jobs.requeue(job.id);
      if (!requeued) return 'ended'; // it became final meanwhile (a cancel)
      await this.events.publishUpdate(requeued);
      return 'handed-back';
    }
    let ending: { state: 'SUCCEEDED' | 'FAILED' | 'CANCELLED'; error: JobFailure | null };
    if (reason instanceof Stopped) {
      ending = {
        state: 'CANCELLED',
        error: { code: 'CANCELLED', message: `cancelled: ${this.kinds.kept(job.kind, result)}` },
      };
    } else if (reason) {
      const seconds = this.config.jobs.timeoutMs / 1000;
      ending = {
        state: 'FAILED',
        error: {
          code: 'TIMEOUT',
          message: `the job ran longer than ${seconds} s (JOB_TIMEOUT_SECONDS): ${this.kinds.kept(job.kind, result)}`,
        },
      };
    } else if (failure) {
      const error = toApiError(failure);
      if (error.code === 'INTERNAL')
        this.logger.error({ msg: 'job failed', job: job.id, error: String(failure) });
      ending = { state: 'FAILED', error: { code: error.code, message: error.message } };
    } else {
      ending = { state: 'SUCCEEDED', error: null };
    }
    const done = ending.state === 'SUCCEEDED' ? { stage: 'done', done: 1, total: 1 } : undefined;
    const finished = await this.jobs.finish(job.id, { ...ending, result, progress: done });
    if (finished) await this.events.publishUpdate(finished);
    return 'ended';
  }
}
