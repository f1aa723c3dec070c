import { rm } from 'node:fs/promises';
import { documentedCodes } from './documented-codes.js';
import { FLAKY_GENERATORS, GENERATORS, startFlakyUpstream } from './flaky-upstream.js';
import { type LoadSummary, round, runLoad, summarise } from './load.js';
import { describeOutcome, verdictOf } from './outcome.js';
import { type HealthReport, probeHealth, type RssSample, rssGrowth, sampleRss } from './probes.js';
import { seededRng } from './prng.js';
import { seedAssets, soakDataDir, startSoakApp } from './soak-app.js';
import { Workload } from './workload.js';

export interface LoadWithFaultsOptions {
  seconds: number;
  callers: number;
  seed: number;
  /** Share of upstream requests that fail. */
  faultRate: number;
  /** Most RSS growth after warm-up that passes, MiB. */
  maxRssGrowthMb: number;
  /** Settings of the app under test (CLIP_CACHE_BYTES=0, say, to tell a filling cache from a leak). */
  appEnv?: Record<string, string>;
}

export interface LoadWithFaultsReport {
  summary: LoadSummary;
  rss: { samples: RssSample[]; growthMb: number; maxMb: number };
  health: HealthReport;
  /** What failed the run; empty when it passed. */
  problems: string[];
}

/** The mixed workload against the built app, its HTTP generators failing at random. */
export async function loadWithFaults(options: LoadWithFaultsOptions): Promise<LoadWithFaultsReport> {
  const rng = seededRng(options.seed);
  const upstream = await startFlakyUpstream(rng, options.faultRate);
  const dataDir = await soakDataDir(upstream);
  const app = await startSoakApp(dataDir, options.appEnv);
  try {
    const known = await seedAssets(app.url, rng);
    const workload = new Workload({ rng, known, generators: GENERATORS, flaky: FLAKY_GENERATORS });
    const rss = sampleRss(app.process.pid!);
    const health = probeHealth(app.url);
    const outcomes = await runLoad({
      url: app.url,
      callers: options.callers,
      durationMs: options.seconds * 1000,
      workload,
    });
    const samples = rss.stop();
    const report: LoadWithFaultsReport = {
      summary: summarise(outcomes, options.seconds, documentedCodes()),
      rss: {
        samples,
        growthMb: round(rssGrowth(samples)),
        maxMb: round(Math.max(...samples.map((s) => s.rss))),
      },
      health: await health.stop(),
      problems: [],
    };
    const documented = documentedCodes();
    const bad = new Map<string, number>();
    for (const outcome of outcomes.filter((o) => verdictOf(o, documented) === 'bad')) {
      const line = describeOutcome(outcome);
      bad.set(line, (bad.get(line) ?? 0) + 1);
    }
    report.problems.push(...[...bad].map(([line, n]) => `${n}× ${line}`));
    if (report.health.failures > 0) report.problems.push(`/healthz failed ${report.health.failures} times`);
    if (report.rss.growthMb > options.maxRssGrowthMb)
      report.problems.push(`RSS grew ${report.rss.growthMb} MiB after warm-up`);
    if (app.process.exitCode !== null) report.problems.push(`the server exited with ${app.process.exitCode}`);
    return report;
  } finally {
    await app.stop();
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
