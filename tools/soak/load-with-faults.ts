import { rm } from 'node:fs/promises';
import { documentedCodes } from './documented-codes.js';
import { FLAKY_GENERATORS, GENERATORS, startFlakyUpstream } from './flaky-upstream.js';
import { type LoadSummary, round, runLoad, summarise } from './load.js';
import { badOutcomeLines } from './outcome.js';
import {
  afterWarmUp,
  type HealthReport,
  type HeapSample,
  probeHealth,
  type RssSample,
  rssGrowth,
  rssSlope,
  sampleHeap,
  sampleRss,
  slopePerMinute,
} from './probes.js';
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
  rss: {
    samples: RssSample[];
    /** When warm-up ended: the first quarter of the run, left out of the figures below. */
    warmUpMs: number;
    growthMb: number;
    /** Least-squares slope after warm-up, and over its second half alone (a plateau: near 0), MiB/min. */
    slopeMbPerMin: number;
    lateSlopeMbPerMin: number;
    maxMb: number;
  };
  /** V8's heap every 5 s, and the slopes of heap used and external memory after warm-up, MiB/min. */
  heap: { samples: HeapSample[]; usedSlopeMbPerMin: number; externalSlopeMbPerMin: number };
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
    const heap = sampleHeap(app.url);
    const health = probeHealth(app.url);
    const outcomes = await runLoad({
      url: app.url,
      callers: options.callers,
      durationMs: options.seconds * 1000,
      workload,
    });
    const samples = rss.stop();
    const settled = afterWarmUp(samples);
    const heapSamples = await heap.stop();
    const heapSettled = heapSamples.filter((s) => s.at >= (settled[0]?.at ?? 0));
    const report: LoadWithFaultsReport = {
      summary: summarise(outcomes, options.seconds, documentedCodes()),
      rss: {
        samples,
        warmUpMs: settled[0]?.at ?? 0,
        growthMb: round(rssGrowth(samples)),
        slopeMbPerMin: round(rssSlope(settled)),
        lateSlopeMbPerMin: round(rssSlope(settled.slice(settled.length >> 1))),
        maxMb: round(Math.max(...samples.map((s) => s.rss))),
      },
      heap: {
        samples: heapSamples,
        usedSlopeMbPerMin: round(slopePerMinute(heapSettled, (s) => s.heapUsedMb)),
        externalSlopeMbPerMin: round(slopePerMinute(heapSettled, (s) => s.externalMb)),
      },
      health: await health.stop(),
      problems: [],
    };
    report.problems.push(...badOutcomeLines(outcomes, documentedCodes()));
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
