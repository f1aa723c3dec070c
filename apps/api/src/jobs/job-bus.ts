import { EventEmitter } from 'node:events';

export type JobChannel = 'update' | 'cancel';

/**
 * How job updates and cancel requests travel: within the process (embedded mode), or between every
 * node over Redis pub/sub (distributed mode). A node hears its own messages too.
 */
export interface JobBus {
  publish(channel: JobChannel, message: string): Promise<void>;
  listen(handler: (channel: JobChannel, message: string) => void): void;
  close(): Promise<void>;
}

export const JOB_BUS = Symbol('JOB_BUS');

/** The bus of one process. */
export class LocalJobBus implements JobBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(channel: JobChannel, message: string): Promise<void> {
    this.emitter.emit('message', channel, message);
  }

  listen(handler: (channel: JobChannel, message: string) => void): void {
    this.emitter.on('message', handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
