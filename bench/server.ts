/**
 * Server: N concurrent callers scoring images over HTTP (GraphQL `scoreCaptions`, base64 JPEGs, a distinct
 * image per call so the cache never answers) against the built app, started as a child process.
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

export async function runServer(options: {
  modelDir: string;
  threads: number;
  queueBatch: number;
  paths: string[];
  levels: { concurrency: number; requests: number }[];
  warmup: number;
}): Promise<ServerLevel[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-bench-'));
  const app = await startApp(
    {
      MODEL_DIR: options.modelDir,
      DATA_DIR: dataDir,
      CLIP_THREADS: String(options.threads),
      QUEUE_BATCH: String(options.queueBatch),
    },
    120_000,
  );
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
    const levels: ServerLevel[] = [];
    for (const { concurrency, requests } of options.levels) {
      // Every request of every level sends an image not sent before: the engine's cache must not serve it.
      if (next + requests > bodies.length)
        throw new Error('not enough distinct images for the server levels');
      const metricsBefore = await fetch(`${app.url}/metrics`).then((r) => r.text());
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
      levels.push({
        concurrency,
        requests,
        requestsPerSecond: round(latencies.length / seconds),
        p50Ms: round(median(latencies)),
        p99Ms: round(percentile(latencies, 99)),
        maxMs: round(Math.max(...latencies)),
        errors,
        meanImageBatch: meanBatch(metricsBefore, await fetch(`${app.url}/metrics`).then((r) => r.text())),
      });
    }
    return levels;
  } finally {
    await app.stop();
    await rm(dataDir, { recursive: true, force: true });
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
