import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { RunningApp } from '../../test/support/app-process.js';
import { Cluster, type JobView } from '../../test/support/cluster.js';
import { documentedCodes } from './documented-codes.js';
import { FLAKY_GENERATORS, GENERATORS, startFlakyUpstream } from './flaky-upstream.js';
import { type LoadSummary, percentile, runLoad, summarise } from './load.js';
import { badOutcomeLines, type Outcome, verdictOf } from './outcome.js';
import { type HealthReport, probeHealth } from './probes.js';
import { seededRng } from './prng.js';
import { seedAssets, soakDataDir } from './soak-app.js';
import { missingAssets } from './stored-assets.js';
import { type Operation, Workload } from './workload.js';

export interface DistributedOptions {
  seconds: number;
  /** Split evenly over the two API nodes. */
  callers: number;
  seed: number;
  /** Share of upstream requests that fail. */
  faultRate: number;
  /** A worker is SIGKILLed this often (or once the last one's replacement is ready, if later), and replaced. */
  killEveryMs: number;
}

export interface DistributedReport {
  summary: LoadSummary;
  kills: number;
  /** Slowest start of a replacement worker (model loaded), ms. */
  slowestWorkerStartMs: number;
  jobs: {
    rows: number;
    succeeded: number;
    /** Failed because every generator asked failed (the upstream's faults, as in the load part). */
    failedByUpstream: number;
    /** Jobs a kill interrupted, run again by another worker. */
    runMoreThanOnce: number;
    mostAttempts: number;
    /** How long after the load the last job became final, ms. */
    settledMs: number;
  };
  /** `submitGenerate` jobs: from the submit to the job seen final on the other API node. */
  submitted: { jobs: number; p50Ms: number; p99Ms: number };
  /** Assets reported by answers or named by job results, each fetched from both API nodes. */
  assetsChecked: number;
  health: HealthReport[];
  problems: string[];
}

/**
 * The quick calls (`classify`, `scoreCaptions`) go from the API nodes to the workers through the
 * model-call queue; one a kill catches answers `WORKER_TIMEOUT` (documented) after MODEL_CALL_TIMEOUT_MS.
 */
const OPS: readonly Operation[] = [
  'generate',
  'submitGenerate',
  'editImage',
  'upload',
  'classify',
  'scoreCaptions',
];
const JOB_OPS = new Set(['generate', 'submitGenerate', 'editImage']);
/** The one way a job may fail here: every generator it asked failed (the upstream's faults, not the kills). */
const UPSTREAM_FAILURE = 'GENERATOR_FAILED';
/** As long as the client waits for a synchronous answer. */
const JOB_WAIT_MS = 120_000;
const SETTLE_MS = 180_000;

/** Every node's settings: a dead worker's jobs taken up within 5 s, and runs enough for several kills. */
const NODE_ENV = {
  JOB_LOCK_SECONDS: '5',
  JOB_ATTEMPTS: '5',
  WORKER_CONCURRENCY: '4',
  // A quick call a kill catches fails (WORKER_TIMEOUT) within the soak's time, not after 30 s.
  MODEL_CALL_TIMEOUT_MS: '10000',
};

/**
 * The load part's workload (its flaky upstream included) against two API nodes and two workers in
 * distributed mode, one worker SIGKILLed every `killEveryMs` and replaced. Passes when no answer is
 * bad, every job row is one request's and ends SUCCEEDED (or FAILED by the upstream's faults alone),
 * and every asset reported is served by both API nodes, its bytes hashing to its id.
 */
export async function distributedWithKills(options: DistributedOptions): Promise<DistributedReport> {
  const rng = seededRng(options.seed);
  const upstream = await startFlakyUpstream(rng, options.faultRate);
  const configDir = await soakDataDir(upstream);
  const cluster = await Cluster.start({ ...NODE_ENV, CONFIG_FILE: join(configDir, 'soak.yaml') });
  const problems: string[] = [];
  try {
    const apis = [await cluster.node('api'), await cluster.node('api')] as const;
    const workers = [await cluster.node('worker'), await cluster.node('worker')];
    const known = await seedAssets(apis[0].url, rng);
    const workload = new Workload({ rng, known, generators: GENERATORS, flaky: FLAKY_GENERATORS, ops: OPS });
    const reported = new Set(known);
    const submittedMs: number[] = [];
    const health = apis.map((api) => probeHealth(api.url));

    const loadDone = new AbortController();
    const killer = killWorkers(cluster, workers, options.killEveryMs, loadDone.signal);
    // A submitted job is watched from the other API node; its caller goes on once it is final.
    const load = (api: RunningApp, other: RunningApp, callers: number) =>
      runLoad({
        url: api.url,
        callers,
        durationMs: options.seconds * 1000,
        workload,
        onOutcome: async (outcome) => {
          outcome.assets.forEach((id) => reported.add(id));
          if (!outcome.job) return;
          const job = await finalJob(cluster, other, outcome.job, problems);
          submittedMs.push(Date.now() - outcome.startedAt);
          const ids = job?.generation?.candidates.map((c) => c.asset.id) ?? [];
          ids.forEach((id) => reported.add(id));
          workload.remember(ids);
        },
      });
    const half = Math.ceil(options.callers / 2);
    const outcomes = (
      await Promise.all([load(apis[0], apis[1], half), load(apis[1], apis[0], options.callers - half)])
    ).flat();
    loadDone.abort();
    const kills = await killer;

    const jobs = await checkJobs(cluster.postgres.url, outcomes, problems);
    jobs.assets.forEach((id) => reported.add(id));
    for (const api of apis) {
      for (const id of await missingAssets(api.url, reported))
        problems.push(`asset ${id} is not served whole by ${api.url}`);
    }
    problems.unshift(...badOutcomeLines(outcomes, documentedCodes()));
    const healthReports = await Promise.all(health.map((h) => h.stop()));
    healthReports.forEach((h, i) => {
      if (h.failures > 0) problems.push(`/healthz of API node ${i + 1} failed ${h.failures} times`);
    });
    for (const node of [...apis, ...workers]) {
      if (node.process.exitCode !== null || node.process.signalCode !== null)
        problems.push(
          `a node that was not killed exited (${node.process.exitCode ?? node.process.signalCode})`,
        );
    }
    return {
      summary: summarise(outcomes, options.seconds, documentedCodes()),
      kills: kills.count,
      slowestWorkerStartMs: kills.slowestStartMs,
      jobs: jobs.figures,
      submitted: {
        jobs: submittedMs.length,
        p50Ms: percentile(submittedMs, 0.5),
        p99Ms: percentile(submittedMs, 0.99),
      },
      assetsChecked: reported.size,
      health: healthReports,
      problems,
    };
  } finally {
    await cluster.dispose();
    await upstream.close();
    await rm(configDir, { recursive: true, force: true });
  }
}

/**
 * Until `stop`: every `everyMs` SIGKILLs the oldest worker and starts another in its place; never
 * before the last replacement is ready, so one worker at least is always taking jobs.
 */
async function killWorkers(
  cluster: Cluster,
  workers: RunningApp[],
  everyMs: number,
  stop: AbortSignal,
): Promise<{ count: number; slowestStartMs: number }> {
  const kills = { count: 0, slowestStartMs: 0 };
  let next = Date.now() + everyMs;
  while (!stop.aborted) {
    const waited = await sleep(Math.max(0, next - Date.now()), true, { signal: stop }).catch(() => false);
    if (!waited) break;
    await workers.shift()!.stop('SIGKILL');
    kills.count++;
    const killedAt = Date.now();
    next = killedAt + everyMs;
    workers.push(await cluster.node('worker'));
    kills.slowestStartMs = Math.max(kills.slowestStartMs, Date.now() - killedAt);
  }
  return kills;
}

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** Polls `job(id)` on `api` until it is final; null (and a problem) when it is not within JOB_WAIT_MS. */
async function finalJob(
  cluster: Cluster,
  api: RunningApp,
  id: string,
  problems: string[],
): Promise<JobView | null> {
  const deadline = Date.now() + JOB_WAIT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    const job = await cluster.job(api, id).catch((error: unknown) => {
      last = String(error);
      return null;
    });
    if (job && FINAL.has(job.state)) return job;
    if (job) last = job.state;
    await sleep(500);
  }
  problems.push(`job ${id} not final ${JOB_WAIT_MS} ms after it was submitted (last: ${last})`);
  return null;
}

interface JobRow {
  id: string;
  kind: string;
  request_id: string | null;
  state: string;
  error_code: string | null;
  attempts: number;
  result: string | null;
}

/**
 * Reads the jobs table once every job is final: each row was made by one request of the run, no
 * request made two, every request answered with a result has its row, and every job succeeded or
 * failed by the upstream's faults alone. Also the asset ids the results name.
 */
async function checkJobs(
  databaseUrl: string,
  outcomes: readonly Outcome[],
  problems: string[],
): Promise<{ figures: DistributedReport['jobs']; assets: string[] }> {
  const settleStarted = Date.now();
  let rows: JobRow[];
  for (;;) {
    rows = await queryJobs(databaseUrl);
    const active = rows.filter((r) => !FINAL.has(r.state)).length;
    if (active === 0) break;
    if (Date.now() - settleStarted > SETTLE_MS) {
      problems.push(`${active} jobs still unfinished ${SETTLE_MS} ms after the load`);
      break;
    }
    await sleep(500);
  }
  const settledMs = Date.now() - settleStarted;

  const documented = documentedCodes();
  const requests = new Map(outcomes.filter((o) => JOB_OPS.has(o.op)).map((o) => [o.requestId, o]));
  const rowsOf = new Map<string, JobRow[]>();
  for (const row of rows) {
    const request = row.request_id ? requests.get(row.request_id) : undefined;
    if (!request) problems.push(`job ${row.id} was made by no request of the run (${row.request_id})`);
    else rowsOf.set(request.requestId, [...(rowsOf.get(request.requestId) ?? []), row]);
  }
  for (const [requestId, made] of rowsOf) {
    if (made.length > 1) problems.push(`request ${requestId} made ${made.length} job rows`);
  }
  for (const outcome of requests.values()) {
    if (verdictOf(outcome, documented) === 'ok' && !rowsOf.has(outcome.requestId))
      problems.push(`${outcome.op} ${outcome.requestId} was answered without a job row`);
  }
  let failedByUpstream = 0;
  for (const row of rows.filter((r) => r.state !== 'SUCCEEDED')) {
    if (row.state === 'FAILED' && row.error_code === UPSTREAM_FAILURE) failedByUpstream++;
    else if (FINAL.has(row.state))
      problems.push(
        `${row.kind} job ${row.id} ended ${row.state} ${row.error_code} after ${row.attempts} runs`,
      );
  }
  const attempts = rows.map((r) => r.attempts);
  return {
    figures: {
      rows: rows.length,
      succeeded: rows.filter((r) => r.state === 'SUCCEEDED').length,
      failedByUpstream,
      runMoreThanOnce: attempts.filter((n) => n > 1).length,
      mostAttempts: Math.max(0, ...attempts),
      settledMs,
    },
    // Asset ids are sha256 hex; a result names each as an `id`.
    assets: rows.flatMap((r) => [...(r.result ?? '').matchAll(/"id":"([0-9a-f]{64})"/g)].map((m) => m[1]!)),
  };
}

async function queryJobs(databaseUrl: string): Promise<JobRow[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<JobRow>(
      'SELECT id, kind, request_id, state, error_code, attempts, result FROM jobs',
    );
    return rows;
  } finally {
    await client.end();
  }
}
