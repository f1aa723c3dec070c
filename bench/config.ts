/** How much each section measures: the full run, and the reduced `--quick` one. */

export interface BenchConfig {
  /** Rounds of the side-by-side sections: each ratio is the median of this many per-round ratios. */
  rounds: number;
  batches: number[];
  /** clipsmith's batches: also 64 per call (two inference batches of 32, the second decoded meanwhile). */
  clipsmithBatches: number[];
  /** Images per timed run, by batch size. */
  items: Record<string, number>;
  /** The 512² set also runs (the 1024² set always does). */
  with512: boolean;
  textItems: Record<string, number>;
  cachedCalls: number;
  rerankCalls: number;
  levels: { concurrency: number; requests: number }[];
  /** 16-candidate generate requests per round. */
  generateRequests: number;
  /** Requests per quick model call, deployment and round (model-calls). */
  modelCallRequests: number;
  memoryImages: number;
  quantImages: number;
  images1024: number;
}

export const QUICK: BenchConfig = {
  rounds: 5,
  batches: [1, 32],
  clipsmithBatches: [1, 32],
  items: { '1': 6, '32': 32 },
  with512: false,
  textItems: { '1': 8, '32': 32 },
  cachedCalls: 500,
  rerankCalls: 3,
  levels: [
    { concurrency: 1, requests: 8 },
    { concurrency: 32, requests: 64 },
  ],
  generateRequests: 2,
  modelCallRequests: 12,
  memoryImages: 320,
  quantImages: 8,
  images1024: 32,
};

export const FULL: BenchConfig = {
  rounds: 7,
  batches: [1, 8, 32],
  clipsmithBatches: [1, 8, 32, 64],
  items: { '1': 12, '8': 32, '32': 64, '64': 64 },
  with512: true,
  textItems: { '1': 32, '32': 128 },
  cachedCalls: 5000,
  rerankCalls: 12,
  levels: [
    { concurrency: 1, requests: 24 },
    { concurrency: 8, requests: 64 },
    { concurrency: 32, requests: 128 },
  ],
  generateRequests: 4,
  modelCallRequests: 40,
  memoryImages: 10_000,
  quantImages: 32,
  images1024: 64,
};
