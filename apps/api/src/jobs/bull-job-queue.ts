import { type Job, Queue, WaitingError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ApiError } from '../errors/api-error.js';
import type { JobQueue, RunOutcome } from './job-queue.js';

const QUEUE_NAME = 'clipsmith-jobs';

export interface BullJobQueueOptions {
  redisUrl: string;
  concurrency: number;
  /** How long a worker holds a job between heartbeats; a killed worker's job is taken up after it. */
  lockMs: number;
  /** Runs a job gets when workers holding it die (BullMQ's stalled-job recovery). */
  attempts: number;
  /** Called when a job ran out of attempts that way, so its row says so. */
  onExhausted: (jobId: string) => Promise<void>;
}

/**
 * The queue of distributed mode: BullMQ on Redis, shared by every node. Any node adds; workers take
 * jobs a few at once and hold a lock on each, so a worker killed mid-job has its job moved back to the
 * queue for another one. Adding fails fast (QUEUE_UNAVAILABLE) while Redis is down.
 */
export class BullJobQueue implements JobQueue {
  private readonly producer: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;

  constructor(private readonly options: BullJobQueueOptions) {
    // No offline queue: a call while Redis is down fails at once instead of waiting for it.
    this.producer = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.producer.on('error', () => undefined);
    this.queue = new Queue(QUEUE_NAME, { connection: this.producer });
    this.queue.on('error', () => undefined);
  }

  async add(jobId: string): Promise<void> {
    try {
      // The row's id is the BullMQ id: a job is queued once however often it is added.
      await this.queue.add('job', { id: jobId }, { jobId, removeOnComplete: true, removeOnFail: true });
    } catch (error) {
      throw new ApiError(
        'QUEUE_UNAVAILABLE',
        `the job queue (Redis) cannot be reached: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }

  process(run: (jobId: string) => Promise<RunOutcome>): void {
    const { redisUrl, concurrency, lockMs, attempts } = this.options;
    const processor = async (job: Job, token?: string): Promise<void> => {
      if ((await run((job.data as { id: string }).id)) === 'ended') return;
      // Handed back at shutdown: waiting again for any worker, neither completed nor counted as a stall.
      await job.moveToWait(token);
      throw new WaitingError();
    };
    this.workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker(QUEUE_NAME, processor, {
      connection: this.workerConnection,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
      maxStalledCount: attempts - 1,
    });
    this.worker.on('error', () => undefined);
    this.worker.on('failed', (job) => {
      if (job) void this.options.onExhausted((job.data as { id: string }).id).catch(() => undefined);
    });
  }

  /** Whether Redis answers: readiness asks this. */
  async ping(): Promise<void> {
    if (this.producer.status !== 'ready') throw new Error(`Redis is ${this.producer.status}`);
    await this.producer.ping();
  }

  /** Takes no more jobs, lets the ones running here return (finished or handed back), then disconnects. */
  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    // BullMQ leaves a connection it was given open.
    this.workerConnection?.disconnect();
    this.producer.disconnect();
  }
}
