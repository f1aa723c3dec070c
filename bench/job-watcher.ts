/**
 * The client side of the jobs section: follows jobs over graphql-ws on an API node, and hears the same
 * updates on the Redis bus, in one process, so each delivery is timed against its publication on one clock.
 */
import type { Client } from 'graphql-ws';
import { Redis } from 'ioredis';
import { JOB_CHANNELS } from '../apps/api/src/jobs/redis-job-bus.js';
import { wsClient } from '../test/support/subscription.js';
import { percentile, round } from './stats.js';

interface Update {
  id: string;
  state: string;
  updatedAt: string;
  progress: { stage: string; done: number; total: number };
}

const SUBSCRIPTION = `subscription($id: ID!) {
  jobUpdated(id: $id) { id state updatedAt progress { stage done total } error { code message } }
}`;

export interface Latency {
  /** Updates delivered over graphql-ws (the first of each subscription, read from the table, left out). */
  updates: number;
  /** Of those, how many were not heard on the bus (none expected). */
  unheard: number;
  /** Heard on the Redis bus (≈ published) → delivered to the graphql-ws client, performance.now(), same process. */
  busToClient: { p50Ms: number; p99Ms: number };
  /** The row's updatedAt (set by the worker before its write and publish) → delivered, wall clocks, ms resolution. */
  stepToClient: { p50Ms: number; p99Ms: number };
}

/** Delays of delivered updates, as taken. */
export interface Delays {
  updates: number;
  busMs: number[];
  stepMs: number[];
}

/** The latency of several takes together. */
export function latencyOf(takes: readonly Delays[]): Latency {
  const all = (pick: (d: Delays) => number[]): number[] => takes.flatMap(pick);
  const spread = (values: number[]) => ({
    p50Ms: round(percentile(values, 50)),
    p99Ms: round(percentile(values, 99)),
  });
  const bus = all((d) => d.busMs);
  const updates = takes.reduce((n, d) => n + d.updates, 0);
  return {
    updates,
    unheard: updates - bus.length,
    busToClient: spread(bus),
    stepToClient: spread(all((d) => d.stepMs)),
  };
}

/** Which update a message is: the same job, moment, state and progress. */
const keyOf = (u: Update): string =>
  `${u.id} ${u.updatedAt} ${u.state} ${u.progress.stage} ${u.progress.done}`;

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export class JobWatcher {
  /** performance.now() when each update was heard on the bus. */
  private readonly heard = new Map<string, number>();
  private receipts: { key: string; at: number; stepMs: number }[] = [];

  private constructor(
    private readonly client: Client,
    private readonly bus: Redis,
  ) {}

  static async open(apiUrl: string, redisUrl: string): Promise<JobWatcher> {
    const bus = new Redis(redisUrl);
    const watcher = new JobWatcher(wsClient(apiUrl), bus);
    bus.on('message', (_channel: string, message: string) => {
      watcher.heard.set(keyOf(JSON.parse(message) as Update), performance.now());
    });
    await bus.subscribe(JOB_CHANNELS.update);
    return watcher;
  }

  /** Follows a job until it is final; rejects unless it succeeded. */
  watch(id: string): Promise<void> {
    let first = true;
    return new Promise((resolve, reject) => {
      this.client.subscribe<{ jobUpdated: Update & { error: { code: string } | null } }>(
        { query: SUBSCRIPTION, variables: { id } },
        {
          next: (result) => {
            const at = performance.now();
            const job = result.data?.jobUpdated;
            if (!job) return reject(new Error(`job ${id}: ${JSON.stringify(result.errors)}`));
            if (!first)
              this.receipts.push({ key: keyOf(job), at, stepMs: Date.now() - Date.parse(job.updatedAt) });
            first = false;
            if (FINAL.has(job.state) && job.state !== 'SUCCEEDED')
              reject(new Error(`job ${id} ended ${job.state}: ${JSON.stringify(job.error)}`));
          },
          error: (error) => reject(error instanceof Error ? error : new Error(`job ${id}: connection ended`)),
          complete: resolve,
        },
      );
    });
  }

  /** The delays of the updates delivered since the last call; forgets them. */
  take(): Delays {
    const taken = this.receipts;
    this.receipts = [];
    // Matched afterwards: a delivery read in the same tick as its bus message may come first (a negative delay).
    const heard = taken.flatMap((r) => {
      const at = this.heard.get(r.key);
      return at === undefined ? [] : [r.at - at];
    });
    return { updates: taken.length, busMs: heard, stepMs: taken.map((r) => r.stepMs) };
  }

  async close(): Promise<void> {
    await this.client.dispose();
    this.bus.disconnect();
  }
}
