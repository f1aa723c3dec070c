import { describe, expect, it } from 'vitest';
import { contextSquare, intersectionOverUnion, nonMaximumSuppression, slidingWindows } from './windows.js';

describe('slidingWindows', () => {
  it('covers the image at each scale, snapping the last window to the edge', () => {
    const boxes = slidingWindows(100, 60, [0.5]);
    expect(boxes[0]).toEqual({ x: 0, y: 0, width: 100, height: 60 });
    const windows = boxes.slice(1);
    expect(windows.every((b) => b.width === 30 && b.height === 30)).toBe(true);
    expect([...new Set(windows.map((b) => b.x))]).toEqual([0, 15, 30, 45, 60, 70]);
    expect([...new Set(windows.map((b) => b.y))]).toEqual([0, 15, 30]);
    for (const b of windows) {
      expect(b.x + b.width).toBeLessThanOrEqual(100);
      expect(b.y + b.height).toBeLessThanOrEqual(60);
    }
  });
});

describe('intersectionOverUnion', () => {
  it('is 1 for equal boxes, 0 for disjoint ones, and the ratio in between', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(intersectionOverUnion(a, a)).toBe(1);
    expect(intersectionOverUnion(a, { x: 10, y: 0, width: 10, height: 10 })).toBe(0);
    expect(intersectionOverUnion(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150, 12);
  });
});

describe('nonMaximumSuppression', () => {
  it('keeps the best box and drops those overlapping it', () => {
    const items = [
      { box: { x: 0, y: 0, width: 10, height: 10 }, score: 0.5 },
      { box: { x: 1, y: 1, width: 10, height: 10 }, score: 0.9 },
      { box: { x: 50, y: 50, width: 10, height: 10 }, score: 0.4 },
    ];
    expect(nonMaximumSuppression(items, 0.3, 3).map((i) => i.score)).toEqual([0.9, 0.4]);
    expect(nonMaximumSuppression(items, 0.3, 1).map((i) => i.score)).toEqual([0.9]);
  });
});

describe('contextSquare', () => {
  it("centres a square of the factor times the box's longer side on it", () => {
    expect(contextSquare({ x: 40, y: 50, width: 20, height: 10 }, 2, 200, 100)).toEqual({
      x: 30,
      y: 35,
      width: 40,
      height: 40,
    });
  });

  it('shifts the square inside the image, and shrinks it to the shorter side where larger', () => {
    expect(contextSquare({ x: 0, y: 90, width: 10, height: 10 }, 3, 200, 100)).toEqual({
      x: 0,
      y: 70,
      width: 30,
      height: 30,
    });
    expect(contextSquare({ x: 130, y: 20, width: 60, height: 60 }, 2.5, 200, 100)).toEqual({
      x: 100,
      y: 0,
      width: 100,
      height: 100,
    });
  });
});
