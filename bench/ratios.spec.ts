import { describe, expect, it } from 'vitest';
import type { Section } from './harness.js';
import { ratios, type Results } from './ratios.js';
import { type Measurement, type RoundsResult, summarise } from './rounds.js';
import { EXACT_STAGES } from './scenarios/stages.js';

const section = <T>(result: T): Section<T> => ({
  result,
  seconds: 1,
  loadBefore: { loadavg: [0], busiest: [] },
  loadAfter: { loadavg: [0], busiest: [] },
});

/** Rounds of one workload: images per second and CPU ms per image, round by round. */
const rounds = (
  perSecond: number[],
  cpuMs: number[] = perSecond.map(() => 40),
  extra?: Record<string, number>[],
) =>
  summarise(
    perSecond.map((rate, i): Measurement => ({
      items: 32,
      calls: 1,
      wallMs: (32 * 1000) / rate,
      cpuMs: 32 * cpuMs[i]!,
      ...(extra ? { extra: extra[i] } : {}),
    })),
  );

function imagesResult(clipsmith: number[], floor: number[]): Results {
  const stages = [0, 1, 2].map(() => ({ [EXACT_STAGES[0]]: 6, [EXACT_STAGES[1]]: 2 }));
  const result: RoundsResult = {
    rounds: 3,
    order: [],
    runners: {
      clipsmith: { throughput: { '1024/32': rounds(clipsmith) } },
      'onnxruntime floor': { throughput: { '1024/32': rounds(floor, [40, 40, 40]) } },
      stages: { throughput: { 'stages/1024': rounds([1, 1, 1], [1, 1, 1], stages) } },
    },
  };
  return { images: section(result) };
}

describe('the headline ratios', () => {
  it('takes each ratio within a round and reports the median round, with the lowest and highest', () => {
    // A disturbance in round 2 slows both sides: per round the ratio is 0.75, 0.8, 0.7.
    const { figures, spread } = ratios(imagesResult([30, 16, 35], [40, 20, 50]), false);
    expect(figures['images_vs_floor_b32']).toBe(0.75);
    expect(spread['images_vs_floor_b32']).toEqual([0.7, 0.8]);
    expect(figures['images_floor_b32']).toBe(40);
  });

  it('measures the ceiling in the same run: floor × inference / (inference + decode + resize)', () => {
    const { figures } = ratios(imagesResult([30, 30, 30], [40, 40, 40]), false);
    // 40 CPU ms of inference per image and 6 + 2 of preprocessing: the ceiling is 40 / 48 of the floor.
    expect(figures['images_ceiling_b32']).toBeCloseTo(40 / 48, 3);
    expect(figures['images_vs_ceiling_b32']).toBeCloseTo(0.75 / (40 / 48), 3);
  });

  it('marks a ratio whose rounds disagree by more than 10 % of its median as noisy', () => {
    expect(ratios(imagesResult([30, 31, 30.5], [40, 40, 40]), false).noisy).toEqual([]);
    expect(ratios(imagesResult([30, 16, 35], [40, 20, 50]), false).noisy).toContain('images_vs_floor_b32');
  });

  it('reports generate CPU ms and decodes per candidate as the median round, never as noise', () => {
    const round = (cpuMsPerCandidate: number) => ({
      requests: 3,
      cpuMsPerCandidate,
      msPerRequest: 800,
      decodesPerCandidate: 1,
    });
    const generate = section({ rounds: 3, perRound: [round(24), round(31), round(21)] });
    const { figures, spread, noisy } = ratios({ generate }, false);
    expect(figures['generate_cpu_ms_per_candidate']).toBe(24);
    expect(spread['generate_cpu_ms_per_candidate']).toEqual([21, 31]);
    expect(figures['generate_decodes_per_candidate']).toBe(1);
    expect(noisy).toEqual([]);
  });

  it('leaves a figure null when its section did not run', () => {
    const { figures, spread } = ratios({}, true);
    expect(figures['text_short_vs_transformersjs']).toBeNull();
    expect(spread).toEqual({});
  });
});
