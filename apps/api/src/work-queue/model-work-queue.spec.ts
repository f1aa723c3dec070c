import { bundledModelDir, type ClipEngine, load } from '#clip';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestContext } from '../logging/request-context.js';
import { type ModelBatch, ModelWorkQueue } from './model-work-queue.js';

let engine: ClipEngine;
beforeAll(async () => {
  engine = await load(bundledModelDir(), { intraOpNumThreads: 1, cacheBytes: 0 });
});

describe('ModelWorkQueue batches across requests', () => {
  it('names every request a batch served, each once, and runs the batch in none of them', async () => {
    const batches: (ModelBatch & { runningFor: string | undefined })[] = [];
    const queue = new ModelWorkQueue(
      engine,
      { maxQueued: 100, maxBatch: 32 },
      { batch: (b) => batches.push({ ...b, runningFor: requestContext.get()?.requestId }) },
    );
    const from = (requestId: string, texts: string[]) =>
      requestContext.run({ requestId }, () => queue.embedTexts(texts));
    // a starts the first model call at once; b and c queue behind it and share the next.
    const results = await Promise.all([
      from('a', ['a red circle']),
      from('b', ['a blue square', 'a green star']),
      from('c', ['a yellow heart']),
      queue.embedTexts(['no request']),
    ]);
    expect(results.map((r) => r.length)).toEqual([1, 2, 1, 1]);
    expect(batches.map((b) => [b.kind, b.size, b.requestIds, b.runningFor])).toEqual([
      ['text', 1, ['a'], undefined],
      ['text', 4, ['b', 'c'], undefined],
    ]);
  });
});
