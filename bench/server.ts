/**
 * Server: N concurrent callers scoring images over HTTP (GraphQL `scoreCaptions`, base64 JPEGs, the app's
 * cache off) against the built app, started as a child process.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, waitForOk } from '../test/support/app-process.js';
import { median, percentile, round } from './stats.js';

export interface ServerLevel {
  concurrency: number;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  /** Images per model call while this level ran, from the app's clipsmith_model_batch_size histogram. */
  meanImageBatch: number | null;
}

const MUTATION = `mutation Score($input: ScoreCaptionsInput!) {
  scoreCaptions(input: $input) { clipScore }
}`;

export interface ServerApp {
  /** N concurrent callers sending `requests` requests (each a different image), once. */
  measure(level: { concurrency: number; requests: number }): Promise<ServerLevel>;
  stop(): Promise<void>;
}

/** Starts the built app with QUEUE_BATCH=`queueBatch` and its embedding cache off, and warms it up. */
export async function startServerApp(options: {
  modelDir: string;
  threads: number;
  queueBatch: number;
  paths: string[];
  warmup: number;
}): Promise<ServerApp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-bench-'));
  const app = await startApp(
    {
      MODEL_DIR: options.modelDir,
      DATA_DIR: dataDir,
      CLIP_THREADS: String(options.threads),
      QUEUE_BATCH: String(options.queueBatch),
      // Every round sends the same images again: the cache must not answer them.
      CLIP_CACHE_BYTES: '0',
    },
    120_000,
  );
  const stop = async (): Promise<void> => {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForOk(app.url, '/readyz', 120_000);
    const bodies = (await Promise.all(options.paths.map((p) => readFile(p)))).map((bytes) =>
      JSON.stringify({
        query: MUTATION,
        variables: {
          input: { items: [{ image: { base64: bytes.toString('base64') }, caption: 'a photo' }] },
        },
      }),
    );
    let next = 0;
    const call = async (): Promise<number> => {
      const body = bodies[next++ % bodies.length]!;
      const started = performance.now();
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await response.json()) as { errors?: unknown[] };
      if (!response.ok || json.errors) throw new Error(JSON.stringify(json.errors ?? response.status));
      return performance.now() - started;
    };
    for (let i = 0; i < options.warmup; i++) await call();
    const metrics = (): Promise<string> => fetch(`${app.url}/metrics`).then((r) => r.text());
    return {
      stop,
      async measure({ concurrency, requests }) {
        const metricsBefore = await metrics();
        const latencies: number[] = [];
        let errors = 0;
        let issued = 0;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (issued < requests) {
              issued++;
              try {
                latencies.push(await call());
              } catch {
                errors++;
              }
            }
          }),
        );
        const seconds = (performance.now() - started) / 1000;
        return {
          concurrency,
          requests,
          requestsPerSecond: round(latencies.length / seconds),
          p50Ms: round(median(latencies)),
          p99Ms: round(percentile(latencies, 99)),
          maxMs: round(Math.max(...latencies)),
          errors,
          meanImageBatch: meanBatch(metricsBefore, await metrics()),
        };
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Mean image batch size between two /metrics snapshots (clipsmith_model_batch_size{kind="image"}). */
function meanBatch(before: string, after: string): number | null {
  const read = (text: string, suffix: string): number | null => {
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`clipsmith_model_batch_size${suffix}{`) && l.includes('kind="image"'));
    return line ? Number(line.split(' ').pop()) : null;
  };
  const [c0, c1, s0, s1] = [
    read(before, '_count'),
    read(after, '_count'),
    read(before, '_sum'),
    read(after, '_sum'),
  ];
  if (c1 === null || s1 === null || c1 === (c0 ?? 0)) return null;
  return round((s1 - (s0 ?? 0)) / (c1 - (c0 ?? 0)));
}
