import { send } from './client.js';
import { type Outcome, verdictOf } from './outcome.js';
import type { Workload } from './workload.js';

export interface LoadOptions {
  url: string;
  callers: number;
  durationMs: number;
  workload: Workload;
  /**
   * Called with every outcome as it comes (the SIGKILL scenario watches for stored assets); the caller
   * sends its next request once it resolves (the distributed part waits for a submitted job there).
   */
  onOutcome?: (outcome: Outcome) => void | Promise<void>;
  /** Stops the callers early (a signal sent to the server, say). */
  signal?: AbortSignal;
}

/** `callers` loops, each sending the workload's next request as soon as its last one is answered. */
export async function runLoad(options: LoadOptions): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + options.durationMs;
  const caller = async (): Promise<void> => {
    while (Date.now() < deadline && !options.signal?.aborted) {
      const outcome = await send(options.url, await options.workload.next());
      outcomes.push(outcome);
      options.workload.remember(outcome.assets);
      await options.onOutcome?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.callers }, caller));
  return outcomes;
}

export interface LoadSummary {
  requests: number;
  /** Requests answered per second of the run. */
  throughput: number;
  p50Ms: number;
  p99Ms: number;
  byOp: Record<string, { requests: number; p50Ms: number; p99Ms: number }>;
  /** Answers by verdict. */
  ok: number;
  documentedErrors: number;
  bad: number;
  /** Every error code, and `HTTP <status>` / the failure for answers without one. */
  errors: Record<string, number>;
  /** Generator failures reported inside `generate` answers, by code. */
  generatorErrors: Record<string, number>;
}

export function summarise(
  outcomes: readonly Outcome[],
  seconds: number,
  documented: ReadonlySet<string>,
): LoadSummary {
  const errors: Record<string, number> = {};
  const generatorErrors: Record<string, number> = {};
  const verdicts = { ok: 0, 'documented-error': 0, bad: 0 };
  for (const outcome of outcomes) {
    verdicts[verdictOf(outcome, documented)]++;
    const keys = outcome.failure ? [outcome.failure] : outcome.codes;
    for (const key of keys) errors[key] = (errors[key] ?? 0) + 1;
    for (const code of outcome.generatorCodes) generatorErrors[code] = (generatorErrors[code] ?? 0) + 1;
  }
  const byOp: LoadSummary['byOp'] = {};
  for (const op of new Set(outcomes.map((o) => o.op))) {
    const ms = outcomes.filter((o) => o.op === op).map((o) => o.ms);
    byOp[op] = { requests: ms.length, p50Ms: percentile(ms, 0.5), p99Ms: percentile(ms, 0.99) };
  }
  const all = outcomes.map((o) => o.ms);
  return {
    requests: outcomes.length,
    throughput: round(outcomes.length / seconds),
    p50Ms: percentile(all, 0.5),
    p99Ms: percentile(all, 0.99),
    byOp,
    ok: verdicts.ok,
    documentedErrors: verdicts['documented-error'],
    bad: verdicts.bad,
    errors,
    generatorErrors,
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
