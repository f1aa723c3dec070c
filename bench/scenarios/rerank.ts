/** Rerank: 16 candidate images (512²) against one prompt, end to end through libs/guidance's rerank. */
import { readFile } from 'node:fs/promises';
import { load } from '#clip';
import { rerank } from '#guidance';
import { chunks, median, round } from '../stats.js';

export interface RerankArgs {
  modelDir: string;
  threads: number;
  paths: string[];
  candidates: number;
  calls: number;
}

export interface RerankResult {
  msPerRerank: number;
  imagesPerSecond: number;
  calls: number[];
}

export async function runRerank(args: RerankArgs): Promise<RerankResult> {
  // The default cache: the prompt is served from it after the first call; every candidate is new.
  const engine = await load(args.modelDir, { intraOpNumThreads: args.threads });
  const images = await Promise.all(args.paths.map((p) => readFile(p)));
  const groups = chunks(images, args.candidates).filter((g) => g.length === args.candidates);
  const prompt = 'a photo of a lighthouse on a hill at sunset';
  await rerank(engine, prompt, groups[0]!, (b) => b);
  const times: number[] = [];
  // Each call ranks a group not seen before, so no candidate comes from the cache.
  for (let i = 1; i <= Math.min(args.calls, groups.length - 1); i++) {
    const group = groups[i]!;
    const started = performance.now();
    const ranked = await rerank(engine, prompt, group, (b) => b);
    times.push(performance.now() - started);
    if (ranked.length !== args.candidates) throw new Error('rerank lost candidates');
  }
  const ms = median(times);
  return {
    msPerRerank: round(ms),
    imagesPerSecond: round((args.candidates * 1000) / ms),
    calls: times.map(round),
  };
}
