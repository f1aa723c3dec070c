/**
 * Jobs in distributed mode (test/support/cluster.ts: real Redis and PostgreSQL, one API node, workers of the
 * built app): generate jobs per minute with one and with two workers, and how late a graphql-ws subscriber gets
 * each job update after it was published. `npm run bench -- --only jobs` runs it alone.
 */
import { cpus } from 'node:os';
import type { RunningApp } from '../test/support/app-process.js';
import { Cluster } from '../test/support/cluster.js';
import { ensureBuild } from './build.js';
import { timed } from './harness.js';
import { type Delays, JobWatcher, type Latency, latencyOf } from './job-watcher.js';
import type { BenchSection } from './sections.js';
import { median, round } from './stats.js';

/** Candidates per job, all from the procedural generator (512² PNGs), each scored by the bundled model. */
export const CANDIDATES_PER_JOB = 4;
/** The app's default: jobs one worker runs at once. */
const WORKER_CONCURRENCY = 4;

export interface JobsPlan {
  rounds: number;
  /** Jobs submitted at once in each timed run. */
  jobsPerRun: number;
  /** Jobs run one after another on an otherwise idle cluster, for the latency at rest. */
  aloneJobs: number;
}

export const JOBS_PLANS: Record<'quick' | 'full', JobsPlan> = {
  quick: { rounds: 2, jobsPerRun: 12, aloneJobs: 6 },
  full: { rounds: 3, jobsPerRun: 60, aloneJobs: 20 },
};

export interface ThroughputRun {
  round: number;
  workers: number;
  jobs: number;
  /** First submit → the last job's final update at the subscriber. */
  seconds: number;
  jobsPerMinute: number;
}

export interface JobsResult {
  cores: number;
  clipThreads: number;
  workerConcurrency: number;
  candidatesPerJob: number;
  runs: ThroughputRun[];
  /** Median of the rounds, by workers. */
  jobsPerMinute: Record<string, number>;
  /** Two workers against one, within each round; the median of the rounds. */
  twoWorkersGain: number;
  /** `alone`: one job at a time; `workers1`/`workers2`: during the timed runs. */
  latency: Record<'alone' | 'workers1' | 'workers2', Latency>;
}

export async function measureJobs(plan: JobsPlan, threads: number): Promise<JobsResult> {
  ensureBuild();
  const cluster = await Cluster.start({
    CLIP_THREADS: String(threads),
    WORKER_CONCURRENCY: String(WORKER_CONCURRENCY),
  });
  let seed = 0;
  const submit = (api: RunningApp): Promise<string> =>
    cluster.submitGenerate(api, {
      prompt: 'a red circle and a blue square on a white background',
      count: CANDIDATES_PER_JOB,
      generators: ['local'],
      seed: (seed += CANDIDATES_PER_JOB), // new images every job
    });
  try {
    const api = await cluster.node('api');
    await cluster.node('worker');
    const watcher = await JobWatcher.open(api.url, cluster.redis.url);
    /** Submits `jobs` at once and follows each to its end; seconds from the first submit to the last end. */
    const batch = async (jobs: number): Promise<number> => {
      const started = performance.now();
      const ids = await Promise.all(Array.from({ length: jobs }, () => submit(api)));
      await Promise.all(ids.map((id) => watcher.watch(id)));
      return (performance.now() - started) / 1000;
    };
    try {
      await batch(2 * WORKER_CONCURRENCY); // warm-up
      watcher.take();
      for (let i = 0; i < plan.aloneJobs; i++) await watcher.watch(await submit(api));
      const alone = latencyOf([watcher.take()]);
      const runs: ThroughputRun[] = [];
      const busy: Record<number, Delays[]> = { 1: [], 2: [] };
      for (let n = 1; n <= plan.rounds; n++) {
        for (const workers of n % 2 ? [1, 2] : [2, 1]) {
          const second = workers === 2 ? await cluster.node('worker') : null;
          if (second) {
            await batch(2 * WORKER_CONCURRENCY); // warms the new worker up
            watcher.take();
          }
          const seconds = await batch(plan.jobsPerRun);
          busy[workers]!.push(watcher.take());
          const jobsPerMinute = round((plan.jobsPerRun * 60) / seconds);
          runs.push({ round: n, workers, jobs: plan.jobsPerRun, seconds: round(seconds), jobsPerMinute });
          await second?.stop('SIGTERM');
        }
      }
      return {
        cores: cpus().length,
        clipThreads: threads,
        workerConcurrency: WORKER_CONCURRENCY,
        candidatesPerJob: CANDIDATES_PER_JOB,
        runs,
        jobsPerMinute: Object.fromEntries([1, 2].map((w) => [String(w), round(median(rates(runs, w)))])),
        twoWorkersGain: round(median(rates(runs, 2).map((r, i) => r / rates(runs, 1)[i]!))),
        latency: { alone, workers1: latencyOf(busy[1]!), workers2: latencyOf(busy[2]!) },
      };
    } finally {
      await watcher.close();
    }
  } finally {
    await cluster.dispose();
  }
}

/** Jobs per minute of the runs with `workers`, round by round. */
const rates = (runs: ThroughputRun[], workers: number): number[] =>
  runs.filter((r) => r.workers === workers).map((r) => r.jobsPerMinute);

export const jobsSection: BenchSection = {
  name: 'jobs',
  run: (ctx) => timed('jobs', () => measureJobs(JOBS_PLANS[ctx.quick ? 'quick' : 'full'], ctx.threads)),
};
