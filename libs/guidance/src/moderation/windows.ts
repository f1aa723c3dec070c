/** A rectangle in pixels of the input image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Square windows at several scales of the shorter side, each stepped by `overlap` of its size, plus the
 * whole image. Scales are fractions of the shorter side; the last window of a row is snapped to the edge
 * so every pixel is covered.
 */
export function slidingWindows(
  width: number,
  height: number,
  scales: readonly number[],
  stride = 0.5,
): Box[] {
  const boxes: Box[] = [{ x: 0, y: 0, width, height }];
  const short = Math.min(width, height);
  for (const scale of scales) {
    const side = Math.max(1, Math.round(short * scale));
    const step = Math.max(1, Math.round(side * stride));
    for (const y of positions(height, side, step)) {
      for (const x of positions(width, side, step)) boxes.push({ x, y, width: side, height: side });
    }
  }
  return boxes;
}

function positions(extent: number, side: number, step: number): number[] {
  const out: number[] = [];
  for (let p = 0; p + side <= extent; p += step) out.push(p);
  const last = extent - side;
  if (out.at(-1) !== last && last >= 0) out.push(last);
  return out;
}

export function intersectionOverUnion(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const intersection = w * h;
  return intersection / (a.width * a.height + b.width * b.height - intersection);
}

/** Greedy non-maximum suppression: the best boxes, none overlapping a better one by more than `maxIou`. */
export function nonMaximumSuppression<T extends { box: Box; score: number }>(
  items: readonly T[],
  maxIou: number,
  limit: number,
): T[] {
  const kept: T[] = [];
  for (const item of [...items].sort((a, b) => b.score - a.score)) {
    if (kept.length >= limit) break;
    if (kept.every((k) => intersectionOverUnion(k.box, item.box) <= maxIou)) kept.push(item);
  }
  return kept;
}

/**
 * The square of side `factor` × the box's longer side centred on it, shifted to lie inside the image and
 * shrunk to its shorter side where larger: the box seen with some context around it.
 */
export function contextSquare(box: Box, factor: number, width: number, height: number): Box {
  const side = Math.max(1, Math.min(Math.round(Math.max(box.width, box.height) * factor), width, height));
  const place = (start: number, length: number, extent: number): number =>
    Math.min(Math.max(0, Math.round(start + length / 2 - side / 2)), extent - side);
  return {
    x: place(box.x, box.width, width),
    y: place(box.y, box.height, height),
    width: side,
    height: side,
  };
}
