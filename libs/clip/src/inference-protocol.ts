/** Messages between ClipTowers (main thread) and the inference thread (`inference-worker.ts`). */

export type WireTensor =
  | { type: 'float32'; data: Float32Array; dims: number[] }
  | { type: 'int64'; data: BigInt64Array; dims: number[] };

export interface WireSessionOptions {
  graphOptimizationLevel: 'all';
  executionMode: 'sequential';
  intraOpNumThreads?: number;
  interOpNumThreads?: number;
}

export type InferenceRequest =
  | {
      id: number;
      kind: 'load';
      files: string[];
      options: WireSessionOptions;
      idleFeeds: Record<string, WireTensor>;
    }
  | {
      id: number;
      kind: 'run';
      file: string;
      feeds: Record<string, WireTensor>;
      /** Names of the idle feeds (sent at load) to add: the other tower's inputs of a combined model. */
      idle: string[];
      output: string;
    }
  | { id: number; kind: 'release' };

export type InferenceReply =
  | {
      id: number;
      kind: 'loaded';
      sessions: Record<string, { inputs: readonly string[]; outputs: readonly string[] }>;
    }
  | { id: number; kind: 'result'; data: Float32Array; dims: number[] }
  | { id: number; kind: 'released' }
  | { id: number; kind: 'error'; load: boolean; file?: string; message: string };
