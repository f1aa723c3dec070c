/**
 * One benchmark run: makes the model and images if needed, runs the chosen sections, and writes
 * docs/benchmarks.{json,md} (the hand-written conclusions kept). A --quick run writes
 * .bench-model/benchmarks-quick.*, and a full run of some sections (--only) .bench-model/benchmarks-partial.*,
 * so neither replaces the record of a whole run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import prettier from 'prettier';
import { FULL, QUICK } from './config.js';
import { ensureImages, ensureModel, ROOT, WORK_DIR } from './model.js';
import { ratios, type Results, SPREAD_LIMIT, type Summary } from './ratios.js';
import { renderMarkdown } from './report.js';
import { type BenchContext, SECTIONS } from './sections.js';
import { round } from './stats.js';

export interface BenchOptions {
  quick: boolean;
  /** Section names to run; null runs them all. */
  only: readonly string[] | null;
  threads: number;
}

export async function runBench(options: BenchOptions): Promise<Summary> {
  const started = performance.now();
  const config = options.quick ? QUICK : FULL;
  const unknown = options.only?.filter((name) => !SECTIONS.some((s) => s.name === name)) ?? [];
  if (unknown.length > 0)
    throw new Error(
      `unknown section ${unknown.join(', ')}: the sections are ${SECTIONS.map((s) => s.name).join(', ')}`,
    );
  const ctx: BenchContext = {
    quick: options.quick,
    config,
    modelDir: await ensureModel(),
    threads: options.threads,
    images1024: await ensureImages(1024, config.images1024),
    images512: await ensureImages(512, 256),
  };
  const results: Results = {};
  for (const section of SECTIONS)
    if (options.only === null || options.only.includes(section.name))
      results[section.name] = await section.run(ctx);

  const report = {
    generatedAt: new Date().toISOString(),
    quick: options.quick,
    rounds: config.rounds,
    seconds: round((performance.now() - started) / 1000),
    machine: machine(options.threads),
    results,
  };
  const summary = ratios(results, options.quick);
  // The headline figures first, under the keys docs/benchmarks.json has always had.
  const json = { ...summary.figures, spread: summary.spread, noisy: summary.noisy, ...report };
  const base = outputBase(options);
  const out = `${base}.json`;
  await writeFile(out, JSON.stringify(json, null, 2) + '\n');
  const mdPath = `${base}.md`;
  const previous = existsSync(join(ROOT, 'docs', 'benchmarks.md'))
    ? await readFile(join(ROOT, 'docs', 'benchmarks.md'), 'utf8')
    : '';
  const prettierOptions = (await prettier.resolveConfig(mdPath)) ?? {};
  await writeFile(
    mdPath,
    await prettier.format(renderMarkdown(json, previous), { ...prettierOptions, parser: 'markdown' }),
  );
  console.error(`bench: wrote ${out} and ${mdPath} in ${report.seconds} s`);
  if (summary.noisy.length > 0)
    console.error(
      `bench: WARNING: a noisy run: the rounds of ${summary.noisy.join(', ')} disagree by more than ` +
        `${SPREAD_LIMIT * 100}% of their median (see "spread"); rerun on a quieter machine before quoting them`,
    );
  return summary;
}

/** Where a run's figures go, without the extension. */
function outputBase(options: BenchOptions): string {
  if (options.quick) return join(WORK_DIR, 'benchmarks-quick');
  if (options.only !== null) return join(WORK_DIR, 'benchmarks-partial');
  return join(ROOT, 'docs', 'benchmarks');
}

function machine(threads: number): Record<string, string | number> {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    memoryGb: round(totalmem() / 2 ** 30),
    node: process.version,
    onnxruntimeNode: versionOf('onnxruntime-node'),
    transformersJs: versionOf('@huggingface/transformers'),
    sharp: versionOf('sharp'),
    threads,
  };
}

function versionOf(pkg: string): string {
  const file = join(ROOT, 'node_modules', pkg, 'package.json');
  return existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version
    : 'unknown';
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
