import { describe, expect, it } from 'vitest';
import { changeWithin, deltaE2000, outsideChange, srgbToLab } from './delta-e.js';
import { solid } from './test-support/scenes.js';

describe('CIEDE2000', () => {
  // Sharma, Wu & Dalal (2005), the reference test pairs.
  it.each([
    [[50, 2.6772, -79.7751], [50, 0, -82.7485], 2.0425],
    [[50, 3.1571, -77.2803], [50, 0, -82.7485], 2.8615],
    [[50, 2.8361, -74.02], [50, 0, -82.7485], 3.4412],
    [[50, 0, 0], [50, -1, 2], 2.3669],
    [[60.2574, -34.0099, 36.2677], [60.4626, -34.1751, 39.4387], 1.2644],
    [[2.0776, 0.0795, -1.135], [0.9033, -0.0636, -0.5514], 0.9082],
  ] as const)('matches the published difference of %j and %j', (a, b, expected) => {
    expect(deltaE2000(a, b)).toBeCloseTo(expected, 4);
    expect(deltaE2000(b, a)).toBeCloseTo(expected, 4);
  });

  it('puts sRGB white at L 100 and black at L 0', () => {
    expect(srgbToLab(255, 255, 255)[0]).toBeCloseTo(100, 3);
    expect(srgbToLab(0, 0, 0)[0]).toBeCloseTo(0, 6);
  });

  it('measures change only where the mask keeps the picture', () => {
    const [before, after] = [solid([200, 40, 40], 4, 1), solid([200, 40, 40], 4, 1)];
    after.data.set([40, 160, 40], 0); // the first pixel changed, inside the mask
    const mask = { weights: Float32Array.from([1, 0, 0, 0]), width: 4, height: 1 };
    expect(outsideChange(before, after, mask)).toBe(0);
    after.data.set([40, 160, 40], 3); // the second, outside it
    expect(outsideChange(before, after, mask)).toBeGreaterThan(15);
  });

  it('measures change only where the mask lets an edit change the picture, everywhere without one', () => {
    const [before, after] = [solid([200, 40, 40], 4, 1), solid([200, 40, 40], 4, 1)];
    after.data.set([40, 160, 40], 3); // the second pixel changed, outside the mask
    const mask = { weights: Float32Array.from([1, 0, 0, 0]), width: 4, height: 1 };
    expect(changeWithin(before, after, mask)).toBe(0);
    expect(changeWithin(before, after, null)).toBeCloseTo(outsideChange(before, after, mask) * (3 / 4), 9);
    expect(() => changeWithin(before, solid([0, 0, 0], 2, 1), null)).toThrow(RangeError);
  });
});
