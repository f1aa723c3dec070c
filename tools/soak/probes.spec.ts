import { describe, expect, it } from 'vitest';
import { afterWarmUp, rssGrowth, rssSlope } from './probes.js';

const series = (rssAt: (second: number) => number, seconds = 60) =>
  Array.from({ length: seconds + 1 }, (_, s) => ({ at: s * 1000, rss: rssAt(s) }));

describe('RSS trend', () => {
  it('measures a steady rise in MiB per minute, and none on a plateau', () => {
    expect(rssSlope(series((s) => 200 + s / 2))).toBeCloseTo(30);
    expect(rssSlope(series(() => 300))).toBe(0);
    expect(rssSlope([{ at: 0, rss: 1 }])).toBe(0);
  });

  it('leaves warm-up out: a fast rise then a plateau is flat after warm-up', () => {
    const warmingUp = series((s) => (s < 15 ? 200 + 10 * s : 350));
    expect(afterWarmUp(warmingUp)[0]!.at).toBe(15_000);
    expect(rssSlope(afterWarmUp(warmingUp))).toBe(0);
    expect(rssGrowth(warmingUp)).toBe(0);
    expect(rssSlope(warmingUp)).toBeGreaterThan(0);
  });
});
