/**
 * Runners measured side by side. Each runner lives in a process of its own, set up and warmed once; then
 * every round measures each workload on every runner that has it, one after another, in an order rotated
 * from round to round. A ratio is taken within each round (both sides measured seconds apart, under the same
 * disturbance), and reported as the median of the rounds with the lowest and highest round beside it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import type { RunnerSpec } from './runner-child.js';
import { median, round } from './stats.js';

/** One timed pass of a workload in a runner's process. */
export interface Measurement {
  items: number;
  calls: number;
  wallMs: number;
  /** CPU time of the runner's whole process (every thread: onnxruntime's, libuv's, the inference worker). */
  cpuMs: number;
  /** Figures a runner reports besides (the stages runner's CPU ms per image, by stage). */
  extra?: Record<string, number>;
}

export interface Measured {
  /** Items per second, median of the rounds. */
  perSecond: number;
  /** Items per second in each round, in round order. */
  runs: number[];
  /** CPU milliseconds per item, median of the rounds, and each round's. */
  cpuMsPerItem: number;
  cpuRuns: number[];
  /** Wall milliseconds per call, median. */
  msPerCall: number;
  /** Each extra figure, per round. */
  extra?: Record<string, number[]>;
}

export interface RoundsResult {
  rounds: number;
  /** The order runners ran in, per round and workload ("1024/32: floor, clipsmith, …"). */
  order: string[];
  runners: Record<string, { throughput: Record<string, Measured>; check?: unknown }>;
}

type Reply =
  | { type: 'ready' }
  | { type: 'measured'; measurement: Measurement }
  | { type: 'finished'; check?: unknown }
  | { type: 'failed'; error: string };

/** A runner's process, answering one request at a time. */
class RunnerProcess {
  private readonly child: ChildProcess;

  constructor(readonly name: string) {
    this.child = fork(new URL('./runner-child.ts', import.meta.url), [], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  async request(message: unknown): Promise<Reply> {
    const reply = new Promise<Reply>((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`runner ${this.name} exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (m: Reply) => {
        this.child.off('exit', onExit);
        if (m.type === 'failed') reject(new Error(`runner ${this.name}: ${m.error}`));
        else resolve(m);
      });
    });
    this.child.send(message as never);
    return reply;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill();
    await exited;
  }
}

export interface RoundsPlan {
  runners: { name: string; spec: RunnerSpec; workloads: string[] }[];
  rounds: number;
  /** Pause between two measurements, so one runner's thread pool has gone quiet before the next starts. */
  settleMs?: number;
  log?: (line: string) => void;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runRounds(plan: RoundsPlan): Promise<RoundsResult> {
  const processes = new Map<string, RunnerProcess>();
  const measured = new Map<string, Map<string, Measurement[]>>();
  const order: string[] = [];
  try {
    // Set up one at a time: loading a model is itself heavy, and would disturb a neighbour's warm-up.
    for (const r of plan.runners) {
      const child = new RunnerProcess(r.name);
      processes.set(r.name, child);
      await child.request({ type: 'setup', spec: r.spec, workloads: r.workloads });
      measured.set(r.name, new Map(r.workloads.map((w) => [w, []])));
    }
    const workloads = [...new Set(plan.runners.flatMap((r) => r.workloads))];
    for (let n = 0; n < plan.rounds; n++) {
      plan.log?.(`round ${n + 1} of ${plan.rounds}`);
      for (const [w, workload] of workloads.entries()) {
        const having = plan.runners.filter((r) => r.workloads.includes(workload));
        const shift = (n + w) % having.length;
        const rotated = [...having.slice(shift), ...having.slice(0, shift)];
        order.push(`${n + 1} ${workload}: ${rotated.map((r) => r.name).join(', ')}`);
        for (const r of rotated) {
          await pause(plan.settleMs ?? 100);
          const reply = await processes.get(r.name)!.request({ type: 'measure', workload });
          if (reply.type !== 'measured') throw new Error(`runner ${r.name} answered ${reply.type}`);
          measured.get(r.name)!.get(workload)!.push(reply.measurement);
        }
      }
    }
    const runners: RoundsResult['runners'] = {};
    for (const r of plan.runners) {
      const reply = await processes.get(r.name)!.request({ type: 'finish' });
      const throughput: Record<string, Measured> = {};
      for (const [workload, ms] of measured.get(r.name)!) throughput[workload] = summarise(ms);
      runners[r.name] = { throughput, check: reply.type === 'finished' ? reply.check : undefined };
    }
    return { rounds: plan.rounds, order, runners };
  } finally {
    await Promise.all([...processes.values()].map((p) => p.close()));
  }
}

export function summarise(ms: readonly Measurement[]): Measured {
  const runs = ms.map((m) => (m.items * 1000) / m.wallMs);
  const cpuRuns = ms.map((m) => m.cpuMs / m.items);
  const extraKeys = [...new Set(ms.flatMap((m) => Object.keys(m.extra ?? {})))];
  const out: Measured = {
    perSecond: median(runs),
    runs: runs.map((v) => round(v)),
    cpuMsPerItem: round(median(cpuRuns)),
    cpuRuns: cpuRuns.map((v) => round(v)),
    msPerCall: round(median(ms.map((m) => m.wallMs / m.calls))),
  };
  if (extraKeys.length > 0)
    out.extra = Object.fromEntries(extraKeys.map((k) => [k, ms.map((m) => round(m.extra?.[k] ?? NaN))]));
  return out;
}
