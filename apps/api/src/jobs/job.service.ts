import { randomUUID } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { ApiError, type ApiErrorCode } from '../errors/api-error.js';
import { JobEvents } from './job-events.js';
import { JobKinds } from './job-kinds.js';
import { JOB_QUEUE, type JobQueue } from './job-queue.js';
import {
  interrupted,
  isFinal,
  type JobKind,
  type JobRecord,
  type JobState,
  type JobSubmitter,
} from './job-record.js';
import { type JobPage, JobRepository } from './job-repository.js';
import { JobRunner } from './job-runner.js';

/** How often finished jobs past JOB_TTL are removed, at most. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Jobs: submit (checked, limited, stored, queued), read, cancel, watch, and wait for. The synchronous
 * mutations are jobs their request waits for, so there is one path for both. A node that runs jobs
 * (role `all` or `worker`) takes them from the queue once its model has loaded.
 */
@Injectable()
export class JobService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(JOB_QUEUE) private readonly queue: JobQueue,
    @Inject(JobEvents) private readonly events: JobEvents,
    @Inject(JobKinds) private readonly kinds: JobKinds,
    @Inject(JobRunner) private readonly runner: JobRunner,
    @Inject(ClipEngineService) private readonly engine: ClipEngineService,
  ) {}

  async submit(kind: JobKind, input: unknown, who: JobSubmitter, signal: AbortSignal): Promise<JobRecord> {
    const prepared = await this.kinds.prepare(kind, input, signal);
    await this.checkRoom(who.owner);
    const job = await this.jobs.insert({ id: randomUUID(), kind, ...who, input: prepared });
    await this.queue.add(job.id);
    return job;
  }

  /**
   * Submits and waits for the result: what `generate` and `editImage` answer. A client that goes away
   * cancels its job; a job that fails throws its error as the mutation's.
   */
  async run(kind: JobKind, input: unknown, who: JobSubmitter, signal: AbortSignal): Promise<unknown> {
    const job = await this.submit(kind, input, who, signal);
    const watching = new AbortController();
    const leave = (): void => void this.cancel(job.id).catch(() => undefined);
    signal.addEventListener('abort', leave, { once: true });
    try {
      let last = job;
      for await (const update of this.watch(job.id, watching.signal)) last = update;
      if (last.state === 'SUCCEEDED') return last.result;
      const error = last.error ?? { code: 'INTERNAL', message: 'the job ended without a result' };
      throw new ApiError(error.code as ApiErrorCode, error.message);
    } finally {
      signal.removeEventListener('abort', leave);
      watching.abort();
    }
  }

  pingQueue(): Promise<void> {
    return this.queue.ping();
  }

  get(id: string): Promise<JobRecord | null> {
    return this.jobs.get(id);
  }

  list(
    owner: string,
    args: { first: number; after: string | null; state: JobState | null },
  ): Promise<JobPage> {
    return this.jobs.list({ owner, ...args });
  }

  /**
   * Cancels a job: a queued one at once, a running one at its next step (its generator calls are
   * aborted, sockets closed). A final job is returned as it is.
   */
  async cancel(id: string): Promise<JobRecord> {
    const job = await this.jobs.get(id);
    if (!job) throw new ApiError('NOT_FOUND', `no job ${id}`);
    if (isFinal(job.state)) return job;
    await this.jobs.requestCancel(id);
    if (job.state === 'QUEUED') {
      const cancelled = await this.jobs.finish(id, {
        state: 'CANCELLED',
        error: { code: 'CANCELLED', message: 'cancelled before it started' },
      });
      if (cancelled) {
        await this.events.publishUpdate(cancelled);
        return cancelled;
      }
    }
    await this.events.requestCancel(id);
    return (await this.jobs.get(id))!;
  }

  /**
   * The job as it is now, then each update until it is final. Subscribed before the first read, so
   * nothing between the two is missed; an update older than the last one seen is skipped.
   */
  async *watch(id: string, signal: AbortSignal): AsyncGenerator<JobRecord> {
    const stop = new AbortController();
    const updates = this.events.updates(id, AbortSignal.any([signal, stop.signal]));
    try {
      const first = updates.next();
      const current = await this.jobs.get(id);
      if (!current) throw new ApiError('NOT_FOUND', `no job ${id}`);
      yield current;
      if (isFinal(current.state)) return;
      let last = current;
      for (let next = await first; !next.done; next = await updates.next()) {
        const job = next.value;
        if (job.updatedAt < last.updatedAt) continue;
        last = job;
        yield job;
        if (isFinal(job.state)) return;
      }
    } finally {
      stop.abort();
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const sweepMs = Math.min(SWEEP_EVERY_MS, this.config.jobs.ttlMs / 10);
    this.sweeper = setInterval(() => void this.sweep(), sweepMs).unref();
    if (this.config.role === 'api') return;
    await this.recover();
    // Jobs wait for the model, so a restarted node does not fail the jobs it takes up again.
    void this.engine
      .load()
      .catch(() => undefined)
      .then(() => this.queue.process((id) => this.runner.run(id)));
  }

  /**
   * SIGTERM came (main.ts): in distributed mode the jobs still running SHUTDOWN_HAND_BACK_MS before the
   * grace period ends go back to the queue for another worker, so this one exits 0 however long they
   * would take. In-process nobody else could take them, so they run on until the shutdown hooks.
   */
  handBackBeforeGraceEnds(): void {
    if (!this.config.redisUrl || this.config.role === 'api') return;
    const { shutdownGraceMs, shutdownHandBackMs } = this.config;
    setTimeout(() => void this.handBack(), Math.max(0, shutdownGraceMs - shutdownHandBackMs)).unref();
  }

  /**
   * Stops taking jobs. In-process, the running ones go back to the queue (the table) for the next
   * start; a BullMQ worker lets its running jobs finish (until handBack), then exits. Before the other
   * shutdown hooks, so the model and the database are still there for them.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await (this.config.redisUrl ? this.queue.close() : this.handBack());
  }

  /** Stops taking jobs and hands the running ones back to the queue; resolves once every run has returned. */
  private handBack(): Promise<void> {
    const closed = this.queue.close(); // first, so a job handed back is not taken again here
    this.runner.handBack();
    return closed;
  }

  /**
   * The embedded node's restart: queued jobs queue again, and a job that was RUNNING when the process
   * died runs again while it has attempts left (JOB_ATTEMPTS), else fails saying why.
   */
  private async recover(): Promise<void> {
    if (this.config.redisUrl) return; // BullMQ keeps its own queue and retries stalled jobs
    for (const job of await this.jobs.unfinished()) {
      if (job.state === 'RUNNING' && job.attempts >= this.config.jobs.attempts) {
        await this.jobs.finish(job.id, {
          state: 'FAILED',
          error: interrupted(job.attempts, this.config.jobs.attempts),
        });
        continue;
      }
      await this.queue.add(job.id);
    }
  }

  /** QUEUE_FULL when the owner or everyone together has MAX_QUEUED_JOBS(_PER_KEY) waiting or running. */
  private async checkRoom(owner: string): Promise<void> {
    const { maxQueued, maxQueuedPerKey } = this.config.jobs;
    const active = await this.jobs.countActive(owner);
    if (active.owner >= maxQueuedPerKey) {
      throw new ApiError(
        'QUEUE_FULL',
        `this API key has ${active.owner} jobs waiting or running, the most allowed (MAX_QUEUED_JOBS_PER_KEY); retry when some finish`,
      );
    }
    if (active.total >= maxQueued) {
      throw new ApiError(
        'QUEUE_FULL',
        `${active.total} jobs are waiting or running, the most allowed (MAX_QUEUED_JOBS); retry shortly`,
      );
    }
  }

  private async sweep(): Promise<void> {
    try {
      await this.jobs.deleteFinishedBefore(new Date(Date.now() - this.config.jobs.ttlMs));
    } catch (error) {
      this.logger.warn({ msg: 'could not remove expired jobs', error: String(error) });
    }
  }
}
