/**
 * The headline figures of a run. Each ratio is taken within each round (both sides measured seconds
 * apart) and reported as the median of the rounds; `spread` gives its lowest and highest round, and a
 * ratio whose spread exceeds SPREAD_LIMIT of its median marks the run noisy.
 */
import type { GenerateResult } from './generate.js';
import type { Section } from './harness.js';
import type { MemoryResult } from './scenarios/memory.js';
import { EXACT_STAGES } from './scenarios/stages.js';
import type { RoundsResult } from './rounds.js';
import type { ServerLevel } from './server.js';
import { median, round } from './stats.js';

export type Results = Record<string, unknown>;

export interface ServerResult {
  rounds: number;
  order: string[];
  /** config → `c${concurrency}` → one level per round. */
  levels: Record<string, Record<string, ServerLevel[]>>;
}

/** (highest − lowest) / median above which a ratio's rounds disagree too much to be read as one number. */
export const SPREAD_LIMIT = 0.1;

export interface Summary {
  figures: Record<string, number | null>;
  /** Every per-round figure's lowest and highest round. */
  spread: Record<string, [number, number]>;
  /** Ratios whose spread exceeds SPREAD_LIMIT. */
  noisy: string[];
}

/** A figure for round n, or null where it was not measured. */
type PerRound = (n: number) => number | null;

const at = (values: readonly number[] | undefined, n: number): number | null => {
  const v = values?.[n];
  return v === undefined || !Number.isFinite(v) ? null : v;
};

const ratio =
  (a: PerRound, b: PerRound): PerRound =>
  (n) => {
    const x = a(n);
    const y = b(n);
    return x === null || y === null || y === 0 ? null : x / y;
  };

export function ratios(results: Results, quick: boolean): Summary {
  const images = (results['images'] as Section<RoundsResult> | undefined)?.result;
  const text = (results['text'] as Section<RoundsResult> | undefined)?.result;
  const server = (results['server'] as Section<ServerResult> | undefined)?.result;
  const memory = results['memory'] as Section<MemoryResult> | undefined;
  const generate = (results['generate'] as Section<GenerateResult> | undefined)?.result;

  const rate =
    (r: RoundsResult | undefined, runner: string, key: string): PerRound =>
    (n) =>
      at(r?.runners[runner]?.throughput[key]?.runs, n);
  const img = (runner: string, key: string): PerRound => rate(images, runner, key);
  const cpuPerImage =
    (runner: string, key: string): PerRound =>
    (n) =>
      at(images?.runners[runner]?.throughput[key]?.cpuRuns, n);
  /** CPU ms per image of the exact path's preprocessing (decode + exact resize) of a 1024² JPEG. */
  const preprocessing: PerRound = (n) => {
    const extra = images?.runners['stages']?.throughput['stages/1024']?.extra;
    const parts = EXACT_STAGES.map((s) => at(extra?.[s], n));
    return parts.some((p) => p === null) ? null : parts.reduce((a, b) => a! + b!, 0);
  };
  /** Ceiling at batch 32, as a fraction of the floor: both cores busy, so CPU time adds up. */
  const ceiling32 =
    (floor: string): PerRound =>
    (n) => {
      const inference = cpuPerImage(floor, '1024/32')(n);
      const pre = preprocessing(n);
      return inference === null || pre === null ? null : inference / (inference + pre);
    };
  /** Ceiling at batch 1: one image's preprocessing runs on one core before its inference, in wall time. */
  const ceiling1: PerRound = (n) => {
    const perSecond = img('onnxruntime floor', '1024/1')(n);
    const pre = preprocessing(n);
    if (perSecond === null || pre === null) return null;
    const inference = 1000 / perSecond;
    return inference / (inference + pre);
  };
  const vsFloor = (runner: string, key: string, floor = 'onnxruntime floor'): PerRound =>
    ratio(img(runner, key), img(floor, key));
  const txt = (runner: string, key: string): PerRound => rate(text, runner, key);
  const rps =
    (config: string, c: number): PerRound =>
    (n) =>
      at(
        server?.levels[config]?.[`c${c}`]?.map((l) => l.requestsPerSecond),
        n,
      );
  const p99: PerRound = (n) =>
    at(
      server?.levels['QUEUE_BATCH=32']?.['c32']?.map((l) => l.p99Ms),
      n,
    );

  const perRound: Record<string, PerRound> = {
    images_floor_b1: img('onnxruntime floor', '1024/1'),
    images_floor_b32: img('onnxruntime floor', '1024/32'),
    images_vs_floor_b1: vsFloor('clipsmith', '1024/1'),
    images_vs_floor_b32: vsFloor('clipsmith', '1024/32'),
    images_ceiling_b1: ceiling1,
    images_ceiling_b32: ceiling32('onnxruntime floor'),
    images_vs_ceiling_b1: ratio(vsFloor('clipsmith', '1024/1'), ceiling1),
    images_vs_ceiling_b32: ratio(vsFloor('clipsmith', '1024/32'), ceiling32('onnxruntime floor')),
    images_q8_vs_ceiling_b32: ratio(
      vsFloor('clipsmith int8', '1024/32', 'onnxruntime floor int8'),
      ceiling32('onnxruntime floor int8'),
    ),
    images_vs_transformersjs_b1: ratio(img('clipsmith', '1024/1'), img('transformers.js', '1024/1')),
    images_vs_transformersjs_b32: ratio(img('clipsmith', '1024/32'), img('transformers.js', '1024/32')),
    transformersjs_vs_floor_b1: vsFloor('transformers.js', '1024/1'),
    transformersjs_vs_floor_b32: vsFloor('transformers.js', '1024/32'),
    images_q8_vs_floor_b32: vsFloor('clipsmith int8', '1024/32'),
    images_q8_vs_floor_b1: vsFloor('clipsmith int8', '1024/1'),
    images_fast_vs_floor_b32: vsFloor('clipsmith (fast resize)', '1024/32'),
    images_fast_vs_exact_b1: ratio(img('clipsmith (fast resize)', '1024/1'), img('clipsmith', '1024/1')),
    images_fast_vs_exact_b32: ratio(img('clipsmith (fast resize)', '1024/32'), img('clipsmith', '1024/32')),
    images_512_vs_floor_b1: vsFloor('clipsmith', '512/1'),
    images_512_vs_floor_b32: vsFloor('clipsmith', '512/32'),
    text_short_vs_transformersjs: ratio(txt('clipsmith', 'short/32'), txt('transformers.js', 'short/32')),
    text_short_vs_transformersjs_b1: ratio(txt('clipsmith', 'short/1'), txt('transformers.js', 'short/1')),
    text_long_vs_transformersjs: ratio(txt('clipsmith', 'long/32'), txt('transformers.js', 'long/32')),
    text_cached_vs_uncached: ratio(txt('clipsmith', 'cached/1'), txt('clipsmith', 'short/1')),
    server_batching_gain_c32: ratio(rps('QUEUE_BATCH=32', 32), rps('QUEUE_BATCH=1', 32)),
    server_p99_ms_c32: p99,
    generate_cpu_ms_per_candidate: (n) => generate?.perRound[n]?.cpuMsPerCandidate ?? null,
    generate_decodes_per_candidate: (n) => generate?.perRound[n]?.decodesPerCandidate ?? null,
  };
  const rounds = Math.max(images?.rounds ?? 0, text?.rounds ?? 0, server?.rounds ?? 0, generate?.rounds ?? 0);
  const figures: Summary['figures'] = {};
  const spread: Summary['spread'] = {};
  const noisy: string[] = [];
  for (const [key, figure] of Object.entries(perRound)) {
    const values = Array.from({ length: rounds }, (_, n) => figure(n)).filter((v): v is number => v !== null);
    if (values.length === 0) {
      figures[key] = null;
      continue;
    }
    const middle = median(values);
    figures[key] = round(middle);
    spread[key] = [round(Math.min(...values)), round(Math.max(...values))];
    const isRatio =
      !key.startsWith('images_floor') && !key.startsWith('generate_') && key !== 'server_p99_ms_c32';
    if (isRatio && (Math.max(...values) - Math.min(...values)) / middle > SPREAD_LIMIT) noisy.push(key);
  }
  const rssKey = quick && memory ? `rss_growth_mb_${memory.result.images}` : 'rss_growth_mb_10k';
  figures[rssKey] = memory?.result.rssGrowthMb ?? null;
  return { figures, spread, noisy };
}
