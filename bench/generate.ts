/**
 * Generate: server CPU time per candidate of a 16-candidate `generate` (the procedural generator, the
 * bundled model, the app's cache off) against the built app, and how many times it decoded each candidate.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, waitForOk } from '../test/support/app-process.js';
import { median, round } from './stats.js';

export const GENERATE_CANDIDATES = 16;

export interface GenerateRound {
  requests: number;
  /** CPU time of the app's process (every thread) per candidate, over this round's requests. */
  cpuMsPerCandidate: number;
  /** Wall milliseconds per request, median. */
  msPerRequest: number;
  /** Image decodes per candidate, from clipsmith_image_decodes_total; null where the app does not count them. */
  decodesPerCandidate: number | null;
}

export interface GenerateResult {
  rounds: number;
  perRound: GenerateRound[];
}

export interface GenerateApp {
  measure(requests: number): Promise<GenerateRound>;
  stop(): Promise<void>;
}

const MUTATION = `mutation Generate($seed: Int!) {
  generate(input: { prompt: "a red circle and a blue square on a white background", count: ${GENERATE_CANDIDATES}, seed: $seed }) {
    candidates { rank } errors { code message }
  }
}`;

/** User + system CPU milliseconds of a process so far, from /proc (every thread counted). */
async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which sits in parentheses and may hold spaces: utime and stime are 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux.
}

/** Total of clipsmith_image_decodes_total over its stages; null when the app has no such counter. */
function decodes(metrics: string): number | null {
  const lines = metrics.split('\n').filter((l) => l.startsWith('clipsmith_image_decodes_total{'));
  return lines.length === 0 ? null : lines.reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

/** Starts the built app with its defaults (the procedural generator, the bundled model), cache off, warmed up. */
export async function startGenerateApp(options: { threads: number; warmup: number }): Promise<GenerateApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-bench-generate-'));
  const app = await startApp(
    { DATA_DIR: dataDir, CLIP_THREADS: String(options.threads), CLIP_CACHE_BYTES: '0' },
    120_000,
  );
  const stop = async (): Promise<void> => {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const pid = app.process.pid!;
  // Every request draws new seeds, so no two candidates are the same image.
  let seed = 1;
  const call = async (): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: MUTATION, variables: { seed: (seed += GENERATE_CANDIDATES) } }),
    });
    const json = (await response.json()) as {
      data?: { generate: { candidates: unknown[] } };
      errors?: unknown[];
    };
    const got = json.data?.generate.candidates.length;
    if (json.errors || got !== GENERATE_CANDIDATES)
      throw new Error(`generate gave ${got} candidates: ${JSON.stringify(json.errors ?? json.data)}`);
    return performance.now() - started;
  };
  const metrics = (): Promise<string> => fetch(`${app.url}/metrics`).then((r) => r.text());
  try {
    await waitForOk(app.url, '/readyz', 120_000);
    for (let i = 0; i < options.warmup; i++) await call();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    stop,
    async measure(requests) {
      const decodesBefore = decodes(await metrics());
      const cpuBefore = await processCpuMs(pid);
      const latencies: number[] = [];
      for (let i = 0; i < requests; i++) latencies.push(await call());
      const cpuMs = (await processCpuMs(pid)) - cpuBefore;
      const decodesAfter = decodes(await metrics());
      const candidates = requests * GENERATE_CANDIDATES;
      return {
        requests,
        cpuMsPerCandidate: round(cpuMs / candidates),
        msPerRequest: round(median(latencies)),
        decodesPerCandidate:
          decodesAfter === null || decodesBefore === null
            ? null
            : round((decodesAfter - decodesBefore) / candidates),
      };
    },
  };
}
