/**
 * `npm run soak`: load with faults, SIGTERM under load, SIGKILL during writes, fuzzed images and GraphQL
 * against the built app, and the load in distributed mode with workers SIGKILLed, all on 127.0.0.1.
 * Bounded in time; exits 1 when any part fails. Flags: `--quick` (a short run), `--seconds N`,
 * `--callers N`, `--kills N`, `--mutations N`, `--kill-every S`, `--seed N`,
 * `--only load,sigterm,sigkill,fuzz,distributed`, `--json FILE` (the figures, as docs/reliability.md
 * quotes them).
 */
import { writeFile } from 'node:fs/promises';
import { distributedWithKills } from './distributed.js';
import { fuzzGraphql } from './fuzz-graphql.js';
import { fuzzImages } from './fuzz-images.js';
import { loadWithFaults } from './load-with-faults.js';
import { sigkillDuringWrites } from './sigkill.js';
import { sigtermUnderLoad } from './sigterm.js';
import { withSoakApp } from './soak-app.js';

const PARTS = ['load', 'sigterm', 'sigkill', 'fuzz', 'distributed'] as const;

const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(`--${name}`);
  return i < 0 ? undefined : argv[i + 1];
};
const quick = argv.includes('--quick');
const number = (name: string, full: number, short: number): number =>
  Number(flag(name) ?? (quick ? short : full));
const settings = {
  seed: number('seed', 15, 15),
  seconds: number('seconds', 60, 15),
  callers: number('callers', 48, 32),
  kills: number('kills', 20, 3),
  mutations: number('mutations', 1200, 120),
  graphqlCases: number('graphql-cases', 400, 60),
  killEverySeconds: number('kill-every', 15, 5),
};
const only = new Set(flag('only')?.split(',') ?? PARTS);

const log = (message: string): void => void process.stderr.write(`soak: ${message}\n`);
const results: Record<string, unknown> = { settings };
const problems: string[] = [];
const record = <T extends { problems: string[] }>(part: string, result: T): void => {
  results[part] = result;
  problems.push(...result.problems.map((p) => `${part}: ${p}`));
  log(`${part}: ${result.problems.length === 0 ? 'pass' : `${result.problems.length} problems`}`);
};

if (only.has('load')) {
  log(`load with faults: ${settings.callers} callers for ${settings.seconds} s`);
  const report = await loadWithFaults({ ...settings, faultRate: 0.3, maxRssGrowthMb: 50 });
  // RSS every 5 s is enough to read; the JSON keeps the trend, not every sample.
  const samples = report.rss.samples.filter((_, i) => i % 10 === 0);
  record('load', { ...report, rss: { ...report.rss, samples } });
  const { growthMb, slopeMbPerMin, lateSlopeMbPerMin, warmUpMs } = report.rss;
  log(
    `load: RSS after warm-up (${warmUpMs} ms) +${growthMb} MiB, ` +
      `${slopeMbPerMin} MiB/min (${lateSlopeMbPerMin} MiB/min over its second half); ` +
      `V8 heap used ${report.heap.usedSlopeMbPerMin} MiB/min, external ${report.heap.externalSlopeMbPerMin} MiB/min`,
  );
}
if (only.has('sigterm')) {
  log('SIGTERM under load');
  record(
    'sigterm',
    await sigtermUnderLoad({ callers: settings.callers, seed: settings.seed, loadMs: 5000, graceMs: 30_000 }),
  );
}
if (only.has('sigkill')) {
  log(`SIGKILL during writes, ${settings.kills} times`);
  record(
    'sigkill',
    await sigkillDuringWrites({ kills: settings.kills, callers: 8, seed: settings.seed, maxRunMs: 3000 }),
  );
}
if (only.has('fuzz')) {
  log(`fuzz: ${settings.mutations} image mutations, ${settings.graphqlCases} GraphQL cases`);
  await withSoakApp(settings.seed, async (app) => {
    record(
      'fuzzImages',
      await fuzzImages(app, { mutations: settings.mutations, seed: settings.seed, concurrency: 4 }),
    );
    record('fuzzGraphql', await fuzzGraphql(app, { cases: settings.graphqlCases, seed: settings.seed }));
  });
}

if (only.has('distributed')) {
  log(
    `distributed: ${settings.callers} callers for ${settings.seconds} s over 2 API nodes, ` +
      `a worker SIGKILLed every ${settings.killEverySeconds} s`,
  );
  record(
    'distributed',
    await distributedWithKills({
      seconds: settings.seconds,
      callers: settings.callers,
      seed: settings.seed,
      faultRate: 0.3,
      killEveryMs: settings.killEverySeconds * 1000,
    }),
  );
}

console.log(JSON.stringify(results, null, 2));
const out = flag('json');
if (out) await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
if (problems.length > 0) {
  log(`FAIL:\n  ${problems.slice(0, 50).join('\n  ')}`);
  process.exitCode = 1;
} else log('all parts pass');
