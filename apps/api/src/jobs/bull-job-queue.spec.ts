import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testRedis } from '../test-support/throwaway-servers.js';
import { BullJobQueue, type BullJobQueueOptions } from './bull-job-queue.js';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('BullJobQueue', () => {
  // A Redis of its own: the queue's name is fixed, so a shared server would mix other tests' jobs in.
  let redis: TestServer;
  const exhausted: string[] = [];
  let options: BullJobQueueOptions;
  beforeAll(async () => {
    redis = await testRedis({ throwaway: true });
    // A lock far longer than the test: a job that reaches another worker was handed back, not stalled.
    options = {
      redisUrl: redis.url,
      concurrency: 1,
      lockMs: 120_000,
      attempts: 2,
      onExhausted: async (id) => void exhausted.push(id),
    };
  });
  afterAll(() => redis?.dispose());

  it('lets a closing worker finish one job and hand the other back, which another worker takes at once', async () => {
    const first = new BullJobQueue({ ...options, concurrency: 2 });
    const second = new BullJobQueue(options);
    const runs: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    first.process(async (id) => {
      runs.push(`first ${id}`);
      await held;
      return id === 'returned' ? 'handed-back' : 'ended';
    });
    await first.add('kept');
    await first.add('returned');
    await until(() => runs.length === 2);
    const closing = first.close(); // SIGTERM: the worker takes nothing more and waits for its runs
    second.process(async (id) => {
      runs.push(`second ${id}`);
      return 'ended';
    });
    release();
    await closing;
    await until(() => runs.length === 3);
    await second.close();
    expect(runs.slice(0, 2).sort()).toEqual(['first kept', 'first returned']);
    expect(runs[2]).toBe('second returned');
    expect(exhausted).toEqual([]); // handed back is not failed
  });
});
