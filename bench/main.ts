/**
 * `npm run bench` — clipsmith against transformers.js and the onnxruntime floor on a CLIP the size of
 * openai/clip-vit-base-patch32 (see run-bench.ts). `--quick` is a reduced run that writes
 * .bench-model/benchmarks-quick.json; `--only images,text,...` runs some sections.
 */
import { runBench } from './run-bench.js';

const argv = process.argv.slice(2);
const onlyArg = argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.split('=')[1] ?? argv[argv.indexOf(onlyArg) + 1] ?? '').split(',') : null;

const summary = await runBench({
  quick: argv.includes('--quick'),
  only,
  threads: Number(process.env['BENCH_THREADS'] ?? 2),
});
console.log(JSON.stringify({ ...summary.figures, spread: summary.spread, noisy: summary.noisy }, null, 2));
