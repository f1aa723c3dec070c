/**
 * `npm run bench` — clipsmith against transformers.js and the onnxruntime floor on a CLIP the size of
 * openai/clip-vit-base-patch32. Writes docs/benchmarks.json and docs/benchmarks.md (keeping the
 * hand-written conclusions). `npm run bench -- --quick` is a reduced run (under two minutes) that writes
 * .bench-model/benchmarks-quick.json instead. `--only images,text,...` runs some sections.
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import prettier from 'prettier';
import type { Scenario } from './child.js';
import { ensureImages, ensureModel, ROOT, WORK_DIR } from './model.js';
import { renderMarkdown } from './report.js';
import type { ImagesArgs, ImagesResult } from './scenarios/images.js';
import type { MemoryResult } from './scenarios/memory.js';
import { fixtureCase, type QuantResult } from './scenarios/quant.js';
import type { RerankResult } from './scenarios/rerank.js';
import type { StagesResult } from './scenarios/stages.js';
import type { TextResult } from './scenarios/text.js';
import { runServer, type ServerLevel } from './server.js';
import { round } from './stats.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const onlyArg = argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.split('=')[1] ?? argv[argv.indexOf(onlyArg) + 1] ?? '').split(',') : null;
const THREADS = Number(process.env['BENCH_THREADS'] ?? 2);
const FIXTURE = join(ROOT, '..', 'shared', 'fixtures', 'clip-parity');
const PYTHON = process.env['BENCH_PYTHON'] ?? '/usr/bin/python3';

const want = (section: string): boolean => only === null || only.includes(section);

/** Load average and what else is busy, so every number can be read against the machine's state. */
function machineLoad(): { loadavg: number[]; busiest: string[] } {
  const ps = spawnSync('ps', ['-eo', 'pcpu,args', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' });
  const busiest = (ps.stdout ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && Number(l.split(/\s+/)[0]) >= 5)
    .slice(0, 5)
    .map((l) => l.slice(0, 140));
  return { loadavg: loadavg().map((v) => round(v)), busiest };
}

interface Section<T> {
  result: T;
  seconds: number;
  loadBefore: ReturnType<typeof machineLoad>;
  loadAfter: ReturnType<typeof machineLoad>;
}

async function timed<T>(name: string, work: () => Promise<T>): Promise<Section<T>> {
  const loadBefore = machineLoad();
  console.error(`bench: ${name} (load ${loadBefore.loadavg.join(' ')})`);
  const started = performance.now();
  const result = await work();
  return {
    result,
    seconds: round((performance.now() - started) / 1000),
    loadBefore,
    loadAfter: machineLoad(),
  };
}

/** Runs a scenario in a forked process of its own (same loader flags, and --expose-gc). */
function inChild<T>(scenario: Scenario): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./child.ts', import.meta.url), [], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child.once('message', (message: { ok: boolean; result?: T; error?: string }) => {
      if (message.ok) resolve(message.result as T);
      else reject(new Error(message.error));
    });
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`${scenario.kind} scenario exited with ${code}`));
    });
    child.send(scenario);
  });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** The server section runs the build; rebuild when a source file is newer than it. */
function ensureBuild(): void {
  const main = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
  const sources = Math.max(newestMtime(join(ROOT, 'apps')), newestMtime(join(ROOT, 'libs')));
  if (existsSync(main) && statSync(main).mtimeMs >= sources) return;
  console.error('bench: building the app (npm run build)');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

function versionOf(pkg: string): string {
  const file = join(ROOT, 'node_modules', pkg, 'package.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : 'unknown';
}

async function main(): Promise<void> {
  const started = performance.now();
  const modelDir = ensureModel();
  const images1024 = await ensureImages(1024, quick ? 32 : 64);
  const images512 = await ensureImages(512, 256);
  const config = quick
    ? {
        sets: [{ size: 1024, paths: images1024 }],
        batches: [1, 32],
        items: { '1': 6, '8': 16, '32': 32, '64': 64 },
        repeats: 2,
        textItems: { '1': 8, '32': 32 },
        cachedCalls: 500,
        rerankCalls: 3,
        levels: [
          { concurrency: 1, requests: 8 },
          { concurrency: 32, requests: 64 },
        ],
        memoryImages: 320,
        quantImages: 8,
      }
    : {
        sets: [
          { size: 1024, paths: images1024 },
          { size: 512, paths: images512.slice(0, 64) },
        ],
        batches: [1, 8, 32],
        items: { '1': 12, '8': 32, '32': 64, '64': 64 },
        repeats: 5,
        textItems: { '1': 32, '32': 128 },
        cachedCalls: 5000,
        rerankCalls: 12,
        levels: [
          { concurrency: 1, requests: 24 },
          { concurrency: 8, requests: 64 },
          { concurrency: 32, requests: 128 },
        ],
        memoryImages: 10_000,
        quantImages: 32,
      };
  const base = { modelDir, threads: THREADS, batches: config.batches, repeats: config.repeats };
  const results: Record<string, unknown> = {};

  if (want('images')) {
    const runners: (Pick<ImagesArgs, 'runner' | 'dtype' | 'resizeMode'> & { name: string })[] = [
      { name: 'clipsmith', runner: 'clipsmith', dtype: 'fp32', resizeMode: 'exact' },
      ...(quick
        ? []
        : [
            {
              name: 'clipsmith (fast resize)',
              runner: 'clipsmith',
              dtype: 'fp32',
              resizeMode: 'fast',
            } as const,
          ]),
      { name: 'transformers.js', runner: 'transformers.js', dtype: 'fp32', resizeMode: 'exact' },
      { name: 'onnxruntime floor', runner: 'floor', dtype: 'fp32', resizeMode: 'exact' },
      { name: 'clipsmith int8', runner: 'clipsmith', dtype: 'int8', resizeMode: 'exact' },
      ...(quick
        ? []
        : [{ name: 'onnxruntime floor int8', runner: 'floor', dtype: 'int8', resizeMode: 'exact' } as const]),
    ];
    const images: Record<string, Section<ImagesResult>> = {};
    for (const r of runners) {
      images[r.name] = await timed(`images: ${r.name}`, () =>
        inChild<ImagesResult>({
          kind: 'images',
          args: {
            ...base,
            // Clipsmith also takes 64 images per call: two batches of 32, the second decoded while the first runs.
            batches: r.runner === 'clipsmith' && !quick ? [...config.batches, 64] : config.batches,
            runner: r.runner,
            dtype: r.dtype,
            resizeMode: r.resizeMode,
            sets: config.sets,
            items: config.items,
          },
        }),
      );
    }
    results['images'] = images;
  }
  if (want('stages')) {
    results['stages'] = await timed('stages', () =>
      inChild<StagesResult>({ kind: 'stages', args: { modelDir, threads: THREADS, sets: config.sets } }),
    );
  }
  if (want('text')) {
    const text: Record<string, Section<TextResult>> = {};
    for (const runner of ['clipsmith', 'transformers.js'] as const) {
      text[runner] = await timed(`text: ${runner}`, () =>
        inChild<TextResult>({
          kind: 'text',
          args: { ...base, runner, items: config.textItems, cachedCalls: config.cachedCalls },
        }),
      );
    }
    results['text'] = text;
  }
  if (want('rerank')) {
    results['rerank'] = await timed('rerank', () =>
      inChild<RerankResult>({
        kind: 'rerank',
        args: { modelDir, threads: THREADS, paths: images512, candidates: 16, calls: config.rerankCalls },
      }),
    );
  }
  if (want('server')) {
    ensureBuild();
    const server: Record<string, Section<ServerLevel[]>> = {};
    for (const queueBatch of [32, 1]) {
      server[`QUEUE_BATCH=${queueBatch}`] = await timed(`server: QUEUE_BATCH=${queueBatch}`, () =>
        runServer({
          modelDir,
          threads: THREADS,
          queueBatch,
          paths: images512,
          levels: config.levels,
          warmup: 4,
        }),
      );
    }
    results['server'] = server;
  }
  if (want('memory')) {
    results['memory'] = await timed('memory', () =>
      inChild<MemoryResult>({
        kind: 'memory',
        args: { modelDir, threads: THREADS, images: config.memoryImages, size: 512, batch: 32 },
      }),
    );
  }
  if (want('quant')) {
    const fixtureDir = await mkdtemp(join(tmpdir(), 'clipsmith-fixture-int8-'));
    try {
      const quantize = spawnSync(
        PYTHON,
        [
          join(ROOT, 'tools', 'bench-model', 'quantize_int8.py'),
          '--model',
          join(FIXTURE, 'model'),
          '--out',
          fixtureDir,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      if (quantize.status !== 0) throw new Error('quantising the parity fixture failed');
      const { shortPrompts } = await import('./prompts.js');
      results['quant'] = await timed('quant', async () =>
        inChild<QuantResult>({
          kind: 'quant',
          args: {
            threads: THREADS,
            cases: [
              await fixtureCase(FIXTURE, join(fixtureDir)),
              {
                name: 'benchmark set',
                dir: modelDir,
                images: images512.slice(0, config.quantImages),
                texts: shortPrompts(config.quantImages, 11),
              },
            ],
          },
        }),
      );
    } finally {
      await rm(fixtureDir, { recursive: true, force: true });
    }
  }

  const report = {
    generatedAt: new Date().toISOString(),
    quick,
    seconds: round((performance.now() - started) / 1000),
    machine: {
      cpu: cpuModel(),
      cores: cpus().length,
      memoryGb: round(totalmem() / 2 ** 30),
      node: process.version,
      onnxruntimeNode: versionOf('onnxruntime-node'),
      transformersJs: versionOf('@huggingface/transformers'),
      sharp: versionOf('sharp'),
      threads: THREADS,
    },
    results,
  };
  const summary = ratios(results, quick);
  const json = { ...summary, ...report };
  const out = quick ? join(WORK_DIR, 'benchmarks-quick.json') : join(ROOT, 'docs', 'benchmarks.json');
  await writeFile(out, JSON.stringify(json, null, 2) + '\n');
  const mdPath = quick ? join(WORK_DIR, 'benchmarks-quick.md') : join(ROOT, 'docs', 'benchmarks.md');
  const previous = existsSync(join(ROOT, 'docs', 'benchmarks.md'))
    ? await readFile(join(ROOT, 'docs', 'benchmarks.md'), 'utf8')
    : '';
  const prettierOptions = (await prettier.resolveConfig(mdPath)) ?? {};
  await writeFile(
    mdPath,
    await prettier.format(renderMarkdown(json, previous), { ...prettierOptions, parser: 'markdown' }),
  );
  console.log(JSON.stringify(summary, null, 2));
  console.error(`bench: wrote ${out} and ${mdPath} in ${report.seconds} s`);
}

function cpuModel(): string {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const name = /model name\s*:\s*(.+)/.exec(info)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const family = /cpu family\s*:\s*(\d+)/.exec(info)?.[1];
  const model = /^model\s*:\s*(\d+)/m.exec(info)?.[1];
  const flags = /flags\s*:\s*(.+)/.exec(info)?.[1]?.split(' ') ?? [];
  const simd = ['avx2', 'avx512f', 'avx512_vnni', 'avx_vnni', 'avx512_bf16'].filter((f) => flags.includes(f));
  return `${name.trim()} (family ${family}, model ${model}; ${simd.join(', ')})`;
}

type Results = Record<string, unknown>;

/** The headline ratios, each a number from this run (null where its section did not run). */
export function ratios(results: Results, quick: boolean): Record<string, number | null> {
  const images = results['images'] as Record<string, Section<ImagesResult>> | undefined;
  const img = (runner: string, size: number, batch: number): number | null =>
    images?.[runner]?.result.throughput[`${size}/${batch}`]?.perSecond ?? null;
  const div = (a: number | null, b: number | null): number | null =>
    a === null || b === null || b === 0 ? null : round(a / b);
  const text = results['text'] as Record<string, Section<TextResult>> | undefined;
  const txt = (runner: string, key: string): number | null =>
    text?.[runner]?.result.throughput[key]?.perSecond ?? null;
  const server = results['server'] as Record<string, Section<ServerLevel[]>> | undefined;
  const rps = (config: string, c: number): number | null =>
    server?.[config]?.result.find((l) => l.concurrency === c)?.requestsPerSecond ?? null;
  const memory = results['memory'] as Section<MemoryResult> | undefined;
  const out: Record<string, number | null> = {
    images_floor_b1: img('onnxruntime floor', 1024, 1),
    images_floor_b32: img('onnxruntime floor', 1024, 32),
    images_vs_floor_b1: div(img('clipsmith', 1024, 1), img('onnxruntime floor', 1024, 1)),
    images_vs_floor_b32: div(img('clipsmith', 1024, 32), img('onnxruntime floor', 1024, 32)),
    images_vs_transformersjs_b1: div(img('clipsmith', 1024, 1), img('transformers.js', 1024, 1)),
    images_vs_transformersjs_b32: div(img('clipsmith', 1024, 32), img('transformers.js', 1024, 32)),
    transformersjs_vs_floor_b1: div(img('transformers.js', 1024, 1), img('onnxruntime floor', 1024, 1)),
    transformersjs_vs_floor_b32: div(img('transformers.js', 1024, 32), img('onnxruntime floor', 1024, 32)),
    images_q8_vs_floor_b32: div(img('clipsmith int8', 1024, 32), img('onnxruntime floor', 1024, 32)),
    images_q8_vs_floor_b1: div(img('clipsmith int8', 1024, 1), img('onnxruntime floor', 1024, 1)),
    images_fast_vs_floor_b32: div(
      img('clipsmith (fast resize)', 1024, 32),
      img('onnxruntime floor', 1024, 32),
    ),
    images_512_vs_floor_b1: div(img('clipsmith', 512, 1), img('onnxruntime floor', 512, 1)),
    images_512_vs_floor_b32: div(img('clipsmith', 512, 32), img('onnxruntime floor', 512, 32)),
    text_short_vs_transformersjs: div(txt('clipsmith', 'short/32'), txt('transformers.js', 'short/32')),
    text_short_vs_transformersjs_b1: div(txt('clipsmith', 'short/1'), txt('transformers.js', 'short/1')),
    text_long_vs_transformersjs: div(txt('clipsmith', 'long/32'), txt('transformers.js', 'long/32')),
    text_cached_vs_uncached: div(txt('clipsmith', 'cached/1'), txt('clipsmith', 'short/1')),
    server_batching_gain_c32: div(rps('QUEUE_BATCH=32', 32), rps('QUEUE_BATCH=1', 32)),
    server_p99_ms_c32: server?.['QUEUE_BATCH=32']?.result.find((l) => l.concurrency === 32)?.p99Ms ?? null,
  };
  const rssKey = quick && memory ? `rss_growth_mb_${memory.result.images}` : 'rss_growth_mb_10k';
  out[rssKey] = memory?.result.rssGrowthMb ?? null;
  return out;
}

await main();
