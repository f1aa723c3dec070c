/**
 * The benchmark's sections, in the order they run. A section measures one thing and returns what goes
 * under its name in docs/benchmarks.json's `results`; add one here (and to report.ts for its table).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { quantizeModelFolder } from '#clip';
import type { BenchConfig } from './config.js';
import { inChild, timed } from './harness.js';
import { ROOT } from './model.js';
import { shortPrompts } from './prompts.js';
import { type RoundsPlan, runRounds } from './rounds.js';
import type { ImagesRunnerSpec } from './scenarios/images.js';
import type { MemoryResult } from './scenarios/memory.js';
import { fixtureCase, type QuantResult } from './scenarios/quant.js';
import type { RerankResult } from './scenarios/rerank.js';
import { ensureBuild } from './build.js';
import { type GenerateResult, type GenerateRound, startGenerateApp } from './generate.js';
import { measureModelCalls } from './model-calls.js';
import { type ServerApp, type ServerLevel, startServerApp } from './server.js';
import { jobsSection } from './jobs.js';

export interface BenchContext {
  quick: boolean;
  config: BenchConfig;
  modelDir: string;
  threads: number;
  images1024: string[];
  images512: string[];
}

export interface BenchSection {
  name: string;
  run(ctx: BenchContext): Promise<unknown>;
}

const FIXTURE = join(ROOT, '..', 'shared', 'fixtures', 'clip-parity');

const imageSets = (ctx: BenchContext): { size: number; paths: string[] }[] => [
  { size: 1024, paths: ctx.images1024 },
  ...(ctx.config.with512 ? [{ size: 512, paths: ctx.images512.slice(0, 64) }] : []),
];

const log = (line: string): void => console.error(`bench:   ${line}`);

/**
 * Every image runner side by side in rounds, with the preprocessing stages measured in the same rounds
 * (they make the ceiling: floor × inference / (inference + decode + resize)).
 */
const images: BenchSection = {
  name: 'images',
  run: (ctx) =>
    timed('images', () => {
      const { config } = ctx;
      const sets = imageSets(ctx);
      const keys = (batches: number[]): string[] =>
        sets.flatMap(({ size }) => batches.map((b) => `${size}/${b}`));
      const items = (batches: number[]): Record<string, number> =>
        Object.fromEntries(batches.map((b) => [String(b), config.items[String(b)]!]));
      const runner = (
        name: string,
        r: Pick<ImagesRunnerSpec, 'runner' | 'dtype' | 'resizeMode'>,
        // clipsmith also takes 64 images per call: two batches of 32, the second decoded while the first runs.
        batches = r.runner === 'clipsmith' ? config.clipsmithBatches : config.batches,
      ): RoundsPlan['runners'][number] => ({
        name,
        workloads: keys(batches),
        spec: {
          kind: 'images',
          ...r,
          modelDir: ctx.modelDir,
          threads: ctx.threads,
          sets,
          items: items(batches),
        },
      });
      return runRounds({
        rounds: config.rounds,
        log,
        runners: [
          runner('clipsmith', { runner: 'clipsmith', dtype: 'fp32', resizeMode: 'exact' }),
          runner(
            'clipsmith (fast resize)',
            { runner: 'clipsmith', dtype: 'fp32', resizeMode: 'fast' },
            config.batches,
          ),
          runner('transformers.js', { runner: 'transformers.js', dtype: 'fp32', resizeMode: 'exact' }),
          runner('onnxruntime floor', { runner: 'floor', dtype: 'fp32', resizeMode: 'exact' }),
          runner('clipsmith int8', { runner: 'clipsmith', dtype: 'int8', resizeMode: 'exact' }),
          runner('onnxruntime floor int8', { runner: 'floor', dtype: 'int8', resizeMode: 'exact' }),
          {
            name: 'stages',
            workloads: sets.map(({ size }) => `stages/${size}`),
            spec: { kind: 'stages', modelDir: ctx.modelDir, sets },
          },
        ],
      });
    }),
};

const text: BenchSection = {
  name: 'text',
  run: (ctx) =>
    timed('text', () => {
      const { config } = ctx;
      const workloads = ['short', 'long'].flatMap((kind) =>
        Object.keys(config.textItems).map((b) => `${kind}/${b}`),
      );
      const runner = (name: 'clipsmith' | 'transformers.js'): RoundsPlan['runners'][number] => ({
        name,
        workloads: name === 'clipsmith' ? [...workloads, 'cached/1'] : workloads,
        spec: {
          kind: 'text',
          runner: name,
          modelDir: ctx.modelDir,
          threads: ctx.threads,
          items: config.textItems,
          passes: config.rounds + 1,
          cachedCalls: config.cachedCalls,
        },
      });
      return runRounds({
        rounds: config.rounds,
        log,
        runners: [runner('clipsmith'), runner('transformers.js')],
      });
    }),
};

const rerank: BenchSection = {
  name: 'rerank',
  run: (ctx) =>
    timed('rerank', () =>
      inChild<RerankResult>({
        kind: 'rerank',
        args: {
          modelDir: ctx.modelDir,
          threads: ctx.threads,
          paths: ctx.images512,
          candidates: 16,
          calls: ctx.config.rerankCalls,
        },
      }),
    ),
};

/** The app with the queue batching across callers against batch-1 serving, both up, levels in rounds. */
const server: BenchSection = {
  name: 'server',
  run: (ctx) =>
    timed('server', async () => {
      ensureBuild();
      const configs = [32, 1].map((queueBatch) => ({ name: `QUEUE_BATCH=${queueBatch}`, queueBatch }));
      const apps = new Map<string, ServerApp>();
      const levels: Record<string, Record<string, ServerLevel[]>> = {};
      const order: string[] = [];
      try {
        for (const c of configs) {
          const options = { modelDir: ctx.modelDir, threads: ctx.threads, paths: ctx.images512, warmup: 4 };
          apps.set(c.name, await startServerApp({ ...options, queueBatch: c.queueBatch }));
          levels[c.name] = {};
        }
        for (let n = 0; n < ctx.config.rounds; n++) {
          log(`round ${n + 1} of ${ctx.config.rounds}`);
          for (const [l, level] of ctx.config.levels.entries()) {
            const rotated = (n + l) % 2 === 0 ? configs : [...configs].reverse();
            order.push(`${n + 1} c${level.concurrency}: ${rotated.map((c) => c.name).join(', ')}`);
            for (const c of rotated) {
              const measured = await apps.get(c.name)!.measure(level);
              (levels[c.name]![`c${level.concurrency}`] ??= []).push(measured);
            }
          }
        }
      } finally {
        await Promise.all([...apps.values()].map((app) => app.stop()));
      }
      return { rounds: ctx.config.rounds, order, levels };
    }),
};

/** Server CPU time per candidate of a 16-candidate generate, a few requests per round. */
const generate: BenchSection = {
  name: 'generate',
  run: (ctx) =>
    timed('generate', async (): Promise<GenerateResult> => {
      ensureBuild();
      const app = await startGenerateApp({ threads: ctx.threads, warmup: 2 });
      const rounds: GenerateRound[] = [];
      try {
        for (let n = 0; n < ctx.config.rounds; n++) {
          log(`round ${n + 1} of ${ctx.config.rounds}`);
          rounds.push(await app.measure(ctx.config.generateRequests));
        }
      } finally {
        await app.stop();
      }
      return { rounds: ctx.config.rounds, perRound: rounds };
    }),
};

/** p50/p99 of each quick model call through an `api` node and its worker against an `all` node. */
const modelCalls: BenchSection = {
  name: 'model-calls',
  run: (ctx) =>
    timed('model-calls', () => {
      ensureBuild();
      const { rounds, modelCallRequests } = ctx.config;
      return measureModelCalls({ threads: ctx.threads, rounds, requests: modelCallRequests, warmup: 3, log });
    }),
};

const memory: BenchSection = {
  name: 'memory',
  run: (ctx) =>
    timed('memory', () =>
      inChild<MemoryResult>({
        kind: 'memory',
        args: {
          modelDir: ctx.modelDir,
          threads: ctx.threads,
          images: ctx.config.memoryImages,
          size: 512,
          batch: 32,
        },
      }),
    ),
};

const quant: BenchSection = {
  name: 'quant',
  async run(ctx) {
    // The fixture folder is read-only: its int8 towers go to a temporary folder beside links to the fp32 ones.
    const fixtureDir = await mkdtemp(join(tmpdir(), 'clipsmith-fixture-int8-'));
    try {
      if (existsSync(FIXTURE)) await quantizeModelFolder(join(FIXTURE, 'model'), { out: fixtureDir });
      // The parity fixture sits beside a development checkout; a user's machine may not have it.
      const fixture = existsSync(FIXTURE) ? [await fixtureCase(FIXTURE, fixtureDir)] : [];
      const cases = [
        ...fixture,
        {
          name: 'benchmark set',
          dir: ctx.modelDir,
          images: ctx.images512.slice(0, ctx.config.quantImages),
          texts: shortPrompts(ctx.config.quantImages, 11),
        },
      ];
      return await timed('quant', () =>
        inChild<QuantResult>({ kind: 'quant', args: { threads: ctx.threads, cases } }),
      );
    } finally {
      await rm(fixtureDir, { recursive: true, force: true });
    }
  },
};

export const SECTIONS: readonly BenchSection[] = [
  images,
  text,
  rerank,
  server,
  generate,
  modelCalls,
  memory,
  quant,
  jobsSection,
];
