import { Redis } from 'ioredis';
import type { JobBus, JobChannel } from './job-bus.js';

/** The pub/sub channel of each kind of message (the bench listens on `update` too). */
export const JOB_CHANNELS: Record<JobChannel, string> = {
  update: 'clipsmith:jobs:update',
  cancel: 'clipsmith:jobs:cancel',
};

/** Job updates and cancel requests between every node, over Redis pub/sub. */
export class RedisJobBus implements JobBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;

  constructor(redisUrl: string) {
    this.publisher = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.subscriber = new Redis(redisUrl);
    for (const client of [this.publisher, this.subscriber]) client.on('error', () => undefined);
    void this.subscriber.subscribe(...Object.values(JOB_CHANNELS)).catch(() => undefined);
  }

  async publish(channel: JobChannel, message: string): Promise<void> {
    // An update lost while Redis is down is not lost for good: the row holds it for the next read.
    await this.publisher.publish(JOB_CHANNELS[channel], message).catch(() => undefined);
  }

  listen(handler: (channel: JobChannel, message: string) => void): void {
    this.subscriber.on('message', (name: string, message: string) => {
      const channel = (Object.keys(JOB_CHANNELS) as JobChannel[]).find((c) => JOB_CHANNELS[c] === name);
      if (channel) handler(channel, message);
    });
  }

  async close(): Promise<void> {
    this.publisher.disconnect();
    this.subscriber.disconnect();
  }
}
