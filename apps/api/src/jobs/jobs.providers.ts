import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { SqlDatabase } from '../database/database.js';
import { BullJobQueue } from './bull-job-queue.js';
import { JOB_BUS, LocalJobBus } from './job-bus.js';
import { JobEvents } from './job-events.js';
import { JobKinds } from './job-kinds.js';
import { InProcessJobQueue, JOB_QUEUE } from './job-queue.js';
import { interrupted } from './job-record.js';
import { JobRepository } from './job-repository.js';
import { JobRunner } from './job-runner.js';
import { JobService } from './job.service.js';
import { RedisJobBus } from './redis-job-bus.js';

/** The jobs runtime: the table, the queue and the bus of the node's mode (in-process, or BullMQ and pub/sub on REDIS_URL), the runner and the service. */
export const JOB_PROVIDERS: Provider[] = [
  {
    provide: JobRepository,
    inject: [SqlDatabase],
    useFactory: (database: SqlDatabase) => new JobRepository(database),
  },
  {
    provide: JOB_QUEUE,
    inject: [APP_CONFIG, JobRepository, JobEvents],
    useFactory: (config: AppConfig, jobs: JobRepository, events: JobEvents) =>
      config.redisUrl
        ? new BullJobQueue({
            redisUrl: config.redisUrl,
            concurrency: config.jobs.concurrency,
            lockMs: config.jobs.lockMs,
            attempts: config.jobs.attempts,
            onExhausted: async (id) => {
              const failed = await jobs.finish(id, {
                state: 'FAILED',
                error: interrupted(config.jobs.attempts, config.jobs.attempts),
              });
              // Published, or whoever waits for the job (a synchronous generate, a subscriber) waits forever.
              if (failed) await events.publishUpdate(failed);
            },
          })
        : new InProcessJobQueue(config.jobs.concurrency),
  },
  {
    provide: JOB_BUS,
    inject: [APP_CONFIG],
    useFactory: (config: AppConfig) =>
      config.redisUrl ? new RedisJobBus(config.redisUrl) : new LocalJobBus(),
  },
  JobEvents,
  JobKinds,
  JobRunner,
  JobService,
];
