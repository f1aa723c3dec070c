import { type ClipEngine, percentileOf } from '#clip';
import { procedural } from '#generators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankCaptions, scoreCaptions } from '../captions/caption-scoring.js';
import { classify } from '../classification/zero-shot.js';
import { rerank } from '../rerank/rerank.js';
import { bundledEngine } from '../test-support/engines.js';
import { checkMinPercentile } from './percentile.js';

const RED = 'a red circle on a white background';
const BLUE = 'a blue square on a yellow background';

async function scene(prompt: string, seed: number): Promise<Buffer> {
  const drawn = procedural.realizeScene(procedural.parsePrompt(prompt), { seed, fidelity: 1 });
  return (await procedural.renderScene(drawn, { width: 128, height: 128 })).bytes;
}

let engine: ClipEngine;
let images: Buffer[];
beforeAll(async () => {
  engine = await bundledEngine();
  images = [await scene(RED, 1), await scene(BLUE, 1), await scene(RED, 2), await scene(BLUE, 2)];
});
afterAll(() => engine.dispose());

describe('percentiles of the bundled model’s similarities', () => {
  it('come with every reranked candidate, and minPercentile leaves out those no better', async () => {
    const all = await rerank(engine, RED, images, (b) => b);
    for (const r of all)
      expect(r.scores.percentile).toBe(percentileOf(engine.info.calibration, r.scores.similarity));
    const red = all.filter((r) => r.item === images[0] || r.item === images[2]);
    const blue = all.filter((r) => r.item === images[1] || r.item === images[3]);
    for (const r of red) expect(r.scores.percentile).toBeGreaterThan(95);
    for (const r of blue) expect(r.scores.percentile).toBeLessThan(95);
    const kept = await rerank(engine, RED, images, (b) => b, { minPercentile: 95 });
    expect(kept.map((r) => r.item).sort()).toEqual([images[0], images[2]].sort());
    expect(kept.map((r) => r.rank)).toEqual([1, 2]);
    expect(await rerank(engine, RED, images, (b) => b, { minPercentile: 100 })).toEqual([]);
  });

  it('come with caption scores, caption rankings and classes', async () => {
    const [matching, mismatched] = await scoreCaptions(engine, [
      { image: images[0]!, caption: RED },
      { image: images[0]!, caption: BLUE },
    ]);
    expect(matching!.percentile).toBeGreaterThan(95);
    expect(mismatched!.percentile).toBeLessThan(matching!.percentile!);
    const ranked = await rankCaptions(engine, images[1]!, [RED, BLUE]);
    expect(ranked.map((r) => [r.caption, r.percentile! > 95])).toEqual([
      [BLUE, true],
      [RED, false],
    ]);
    const classes = await classify(engine, images[1]!, ['red circle', 'blue square'], {
      templates: ['a {}'],
    });
    expect(classes.map((c) => c.percentile)).toEqual(
      classes.map((c) => percentileOf(engine.info.calibration, c.similarity)),
    );
  });

  it('refuses a least percentile outside 0–100', () => {
    for (const bad of [-1, 100.5, Number.NaN])
      expect(() => checkMinPercentile(engine, bad)).toThrow(/minPercentile must be between 0 and 100/);
    expect(checkMinPercentile(engine, 0)).toBe(engine.info.calibration);
  });
});
