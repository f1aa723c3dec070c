import { once } from 'node:events';
import { rm } from 'node:fs/promises';
import { documentedCodes } from './documented-codes.js';
import { FLAKY_GENERATORS, GENERATORS, startFlakyUpstream } from './flaky-upstream.js';
import { runLoad } from './load.js';
import { describeOutcome, verdictOf } from './outcome.js';
import { seededRng } from './prng.js';
import { missingAssets } from './stored-assets.js';
import { seedAssets, soakDataDir, startSoakApp } from './soak-app.js';
import { Workload } from './workload.js';

export interface SigtermOptions {
  callers: number;
  seed: number;
  /** How long the load runs before the signal, ms. */
  loadMs: number;
  /** The longest the server may take to exit after the signal, ms. */
  graceMs: number;
}

export interface SigtermReport {
  /** Requests sent well before the signal (so the server had them), and how they ended. */
  accepted: number;
  completed: number;
  documentedErrors: number;
  /** Requests sent around the signal that got no answer: refused, never accepted. */
  refusedAtSignal: number;
  exitCode: number | null;
  exitMs: number;
  /** Assets reported stored, all fetched again after a restart. */
  assetsChecked: number;
  problems: string[];
}

/** A request sent this long before the signal has reached the server (loopback) and must be answered. */
const IN_FLIGHT_MARGIN_MS = 200;

/**
 * Load, then SIGTERM: every request the server had gets its answer (a result or a documented error),
 * the process exits 0 within the grace period, and after a restart every asset it reported is there.
 */
export async function sigtermUnderLoad(options: SigtermOptions): Promise<SigtermReport> {
  const rng = seededRng(options.seed);
  const upstream = await startFlakyUpstream(rng, 0.2);
  const dataDir = await soakDataDir(upstream);
  try {
    const app = await startSoakApp(dataDir);
    const known = await seedAssets(app.url, rng);
    const workload = new Workload({ rng, known, generators: GENERATORS, flaky: FLAKY_GENERATORS });
    const stopCallers = new AbortController();
    const load = runLoad({
      url: app.url,
      callers: options.callers,
      durationMs: 10 * 60_000,
      workload,
      signal: stopCallers.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, options.loadMs));
    const signalledAt = Date.now();
    const exited = once(app.process, 'exit') as Promise<[number | null]>;
    app.process.kill('SIGTERM');
    // Callers go on sending until the server is gone, as real clients would.
    void exited.then(() => stopCallers.abort());
    const exit = await Promise.race([
      exited.then(([code]) => ({ code, ms: Date.now() - signalledAt })),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), options.graceMs + 5000)),
    ]);
    if (!exit) app.process.kill('SIGKILL');
    const outcomes = await load;

    const documented = documentedCodes();
    const accepted = outcomes.filter((o) => o.startedAt < signalledAt - IN_FLIGHT_MARGIN_MS);
    const aroundSignal = outcomes.filter((o) => o.startedAt >= signalledAt - IN_FLIGHT_MARGIN_MS);
    const problems = accepted
      .filter((o) => verdictOf(o, documented) === 'bad')
      .map((o) => {
        const [sent, ended] = [signalledAt - o.startedAt, o.startedAt + o.ms - signalledAt];
        return `sent ${sent} ms before the signal, then ${describeOutcome(o)} ${ended} ms after it`;
      });
    if (!exit) problems.push(`the server had not exited ${options.graceMs + 5000} ms after SIGTERM`);
    else {
      if (exit.code !== 0) problems.push(`the server exited with ${exit.code}`);
      if (exit.ms > options.graceMs) problems.push(`the server took ${exit.ms} ms to exit`);
    }
    const reported = outcomes.flatMap((o) => o.assets);
    const restarted = await startSoakApp(dataDir);
    try {
      const missing = await missingAssets(restarted.url, reported);
      problems.push(...missing.map((id) => `asset ${id} was reported stored but is gone`));
    } finally {
      await restarted.stop();
    }
    return {
      accepted: accepted.length,
      completed: accepted.filter((o) => verdictOf(o, documented) === 'ok').length,
      documentedErrors: accepted.filter((o) => verdictOf(o, documented) === 'documented-error').length,
      refusedAtSignal: aroundSignal.filter((o) => o.status === null).length,
      exitCode: exit?.code ?? null,
      exitMs: exit?.ms ?? -1,
      assetsChecked: new Set(reported).size,
      problems,
    };
  } finally {
    await upstream.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
