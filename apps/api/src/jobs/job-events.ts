import { EventEmitter, on } from 'node:events';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { JOB_BUS, type JobBus } from './job-bus.js';
import type { JobRecord } from './job-record.js';

/** Job updates and cancel requests, from whichever node made them, to whoever here listens. */
@Injectable()
export class JobEvents implements OnApplicationShutdown {
  private readonly local = new EventEmitter().setMaxListeners(0);

  constructor(@Inject(JOB_BUS) private readonly bus: JobBus) {
    bus.listen((channel, message) => {
      if (channel === 'update') {
        const job = JSON.parse(message) as JobRecord;
        this.local.emit(`update:${job.id}`, job);
      } else {
        this.local.emit('cancel', message);
      }
    });
  }

  publishUpdate(job: JobRecord): Promise<void> {
    return this.bus.publish('update', JSON.stringify(job));
  }

  requestCancel(id: string): Promise<void> {
    return this.bus.publish('cancel', id);
  }

  /** Every update of one job from now on, until `signal` aborts. */
  async *updates(id: string, signal: AbortSignal): AsyncGenerator<JobRecord> {
    try {
      for await (const [job] of on(this.local, `update:${id}`, { signal })) yield job as JobRecord;
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  /** Calls `handler` with the id of each job someone asks to cancel; returns how to stop. */
  onCancel(handler: (id: string) => void): () => void {
    this.local.on('cancel', handler);
    return () => this.local.off('cancel', handler);
  }

  onApplicationShutdown(): Promise<void> {
    return this.bus.close();
  }
}
