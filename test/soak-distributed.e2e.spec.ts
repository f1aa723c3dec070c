import { describe, expect, it } from 'vitest';
import { distributedWithKills } from '../tools/soak/distributed.js';

// The small version of `npm run soak -- --only distributed` (tools/soak/distributed.ts): figures of the
// full run are in docs/reliability.md. A fixed seed: the same seed replays a failure's inputs.
describe('soak, distributed, small', () => {
  it('two API nodes, two workers, one SIGKILLed under load: every job once and done, every asset served by both', async () => {
    const report = await distributedWithKills({
      seconds: 10,
      callers: 8,
      seed: 5,
      faultRate: 0.3,
      killEveryMs: 4000,
    });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBeGreaterThanOrEqual(1);
    // The load reached every path: synchronous and submitted jobs, and their assets.
    expect(Object.keys(report.summary.byOp).sort()).toEqual([
      'editImage',
      'generate',
      'submitGenerate',
      'upload',
    ]);
    expect(report.jobs.rows).toBeGreaterThan(0);
    expect(report.submitted.jobs).toBeGreaterThan(0);
    expect(report.assetsChecked).toBeGreaterThan(0);
  }, 240_000);
});
