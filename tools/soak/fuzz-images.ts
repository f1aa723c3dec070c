import { documentedCodes } from './documented-codes.js';
import { graphqlRequest, send, uploadRequest } from './client.js';
import { mutate, SEED_FORMATS, seedImages } from './image-mutations.js';
import { round } from './load.js';
import { describeOutcome, verdictOf } from './outcome.js';
import { probeHealth, sampleRss } from './probes.js';
import type { RunningApp } from '../../test/support/app-process.js';
import { seededRng } from './prng.js';

const CLASSIFY = `query($image: ImageInput!) { classify(image: $image, labels: ["a circle", "a square"]) { label } }`;

export interface FuzzImagesOptions {
  mutations: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export interface FuzzReport {
  cases: number;
  accepted: number;
  /** Refusals by code. */
  refused: Record<string, number>;
  maxRssMb: number;
  problems: string[];
}

/**
 * Mutations of JPEG, PNG, WebP, GIF, AVIF and TIFF seeds, each sent as an upload (`POST /assets`) or
 * as GraphQL base64 (`classify`): every answer is a success or a documented 4xx, the server lives.
 */
export async function fuzzImages(app: RunningApp, options: FuzzImagesOptions): Promise<FuzzReport> {
  const rng = seededRng(options.seed);
  const seeds = await seedImages();
  const documented = documentedCodes();
  const report: FuzzReport = { cases: 0, accepted: 0, refused: {}, maxRssMb: 0, problems: [] };
  const rss = sampleRss(app.process.pid!);
  const health = probeHealth(app.url, 500);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.mutations) {
      const i = next++;
      const format = SEED_FORMATS[i % SEED_FORMATS.length]!;
      const mutation = mutate(seeds[format], format, rng);
      const request =
        i % 2 === 0
          ? uploadRequest('upload', mutation.bytes)
          : graphqlRequest('classify', CLASSIFY, { image: { base64: mutation.bytes.toString('base64') } });
      const outcome = await send(app.url, request);
      report.cases++;
      const verdict = verdictOf(outcome, documented);
      const serverSide = outcome.status !== null && outcome.status >= 500;
      if (verdict === 'bad' || serverSide)
        report.problems.push(
          `case ${i} (seed ${options.seed}, ${mutation.description}): ${describeOutcome(outcome)}`,
        );
      else if (verdict === 'ok') report.accepted++;
      else for (const code of outcome.codes) report.refused[code] = (report.refused[code] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  report.maxRssMb = round(Math.max(...rss.stop().map((s) => s.rss)));
  const healthReport = await health.stop();
  if (healthReport.failures > 0) report.problems.push(`/healthz failed ${healthReport.failures} times`);
  if (app.process.exitCode !== null) report.problems.push(`the server died (exit ${app.process.exitCode})`);
  return report;
}
