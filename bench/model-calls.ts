/**
 * Model calls: what the queue's hop costs. Each quick call (test/support/quick-calls.ts) is sent one at a
 * time to an `api` node, which has a worker run it through the queue, and to an `all` node of the same
 * cluster that runs it itself: the same model, store, Redis and machine, the built app, cache off.
 */
import { BullModelCallQueue } from '../apps/api/src/model-calls/bull-model-call-queue.js';
import { sceneBytes } from '../apps/api/src/test-support/service-app.js';
import { testRedis } from '../apps/api/src/test-support/throwaway-servers.js';
import type { RunningApp } from '../test/support/app-process.js';
import { Cluster } from '../test/support/cluster.js';
import {
  generateSearchables,
  type QuickCall,
  quickCalls,
  sendQuickCall,
} from '../test/support/quick-calls.js';
import { median, percentile, round } from './stats.js';

/** Latencies of one call on one deployment. */
export interface CallLatency {
  /** Over every request of every round. */
  p50Ms: number;
  p99Ms: number;
  /** Each round's p50, in round order. */
  roundP50Ms: number[];
}

export interface ModelCallsResult {
  rounds: number;
  /** Requests per call, deployment and round. */
  requests: number;
  /** call → deployment (`all`, `api + worker`) → latencies. */
  calls: Record<string, Record<Deployment, CallLatency>>;
  /** The queue alone: a call echoed back by a worker in the bench process, no app around either end. */
  queueAlone: CallLatency;
}

export const DEPLOYMENTS = ['all', 'api + worker'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

export async function measureModelCalls(options: {
  threads: number;
  rounds: number;
  requests: number;
  warmup: number;
  log: (line: string) => void;
}): Promise<ModelCallsResult> {
  // Every round sends the same inputs again: the cache must not answer them.
  const cluster = await Cluster.start({ CLIP_THREADS: String(options.threads), CLIP_CACHE_BYTES: '0' });
  const echo = await echoQueue();
  try {
    const [api, , all] = await Promise.all([
      cluster.node('api'),
      cluster.node('worker'),
      cluster.node('all'),
    ]);
    const nodes: Record<Deployment, RunningApp> = { all, 'api + worker': api };
    await generateSearchables(all);
    const calls = quickCalls((await sceneBytes('a red circle on a white background')).toString('base64'));
    for (const call of calls)
      for (const node of Object.values(nodes))
        for (let i = 0; i < options.warmup; i++) await timedCall(node, call);
    const samples = new Map(
      calls.map((c) => [c.name, { all: [] as number[][], 'api + worker': [] as number[][] }]),
    );
    const echoed: number[][] = [];
    for (let n = 0; n < options.rounds; n++) {
      options.log(`round ${n + 1} of ${options.rounds}`);
      // Both deployments take turns call by call, the order swapped every round.
      const order = n % 2 === 0 ? DEPLOYMENTS : [...DEPLOYMENTS].reverse();
      for (const call of calls)
        for (const deployment of order) {
          const latencies: number[] = [];
          for (let i = 0; i < options.requests; i++) latencies.push(await timedCall(nodes[deployment], call));
          samples.get(call.name)![deployment].push(latencies);
        }
      echoed.push(await echo.measure(options.requests));
    }
    return {
      rounds: options.rounds,
      requests: options.requests,
      calls: Object.fromEntries(
        [...samples].map(([name, byDeployment]) => [
          name,
          Object.fromEntries(DEPLOYMENTS.map((d) => [d, latencyOf(byDeployment[d])])) as Record<
            Deployment,
            CallLatency
          >,
        ]),
      ),
      queueAlone: latencyOf(echoed),
    };
  } finally {
    await Promise.all([cluster.dispose(), echo.close()]);
  }
}

/** BullModelCallQueue's two ends in this process, on a Redis of their own (the cluster's nodes would take its calls). */
async function echoQueue(): Promise<{
  measure(requests: number): Promise<number[]>;
  close(): Promise<void>;
}> {
  const redis = await testRedis({ throwaway: true });
  const cancels = { requestCancel: async () => undefined, onCancel: () => () => undefined };
  const [caller, server] = [0, 1].map(
    () => new BullModelCallQueue({ redisUrl: redis.url, timeoutMs: 10_000, concurrency: 16, cancels }),
  ) as [BullModelCallQueue, BullModelCallQueue];
  server.serve(async (_, input) => input);
  const signal = new AbortController().signal;
  const once = async (): Promise<number> => {
    const started = performance.now();
    await caller.call('echo', { started }, signal);
    return performance.now() - started;
  };
  for (let i = 0; i < 10; i++) await once();
  return {
    async measure(requests) {
      const latencies: number[] = [];
      for (let i = 0; i < requests; i++) latencies.push(await once());
      return latencies;
    },
    async close() {
      await Promise.all([caller.close(), server.close()]);
      await redis.dispose();
    },
  };
}

/** The hop of one call: its `api + worker` p50 less its `all` p50, round by round (median, lowest, highest). */
export function hopMs(latency: Record<Deployment, CallLatency>): [number, number, number] {
  const perRound = latency['api + worker'].roundP50Ms.map((p50, n) => p50 - latency.all.roundP50Ms[n]!);
  return [round(median(perRound)), round(Math.min(...perRound)), round(Math.max(...perRound))];
}

function latencyOf(rounds: number[][]): CallLatency {
  const every = rounds.flat();
  return {
    p50Ms: round(percentile(every, 50)),
    p99Ms: round(percentile(every, 99)),
    roundP50Ms: rounds.map((r) => round(median(r))),
  };
}

async function timedCall(node: RunningApp, call: QuickCall): Promise<number> {
  const started = performance.now();
  const answer = await sendQuickCall(node, call);
  const ms = performance.now() - started;
  if (answer.errors) throw new Error(`${call.name} failed: ${JSON.stringify(answer.errors)}`);
  return ms;
}
