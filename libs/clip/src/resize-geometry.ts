import type { OutputWindow } from './antialias-resample.js';

/** transformers' shortest-edge rule: the short side becomes `edge`, the long one floor(edge · long / short). */
export function shortestEdgeSize(
  width: number,
  height: number,
  edge: number,
): { width: number; height: number } {
  return width <= height
    ? { width: edge, height: Math.floor((edge * height) / width) }
    : { width: Math.floor((edge * width) / height), height: edge };
}

/** transformers' centre crop: the window starts at floor((size − crop) / 2) on each axis. */
export function centreCrop(
  size: { width: number; height: number },
  crop: { width: number; height: number },
): OutputWindow {
  return {
    left: Math.floor((size.width - crop.width) / 2),
    top: Math.floor((size.height - crop.height) / 2),
    width: crop.width,
    height: crop.height,
  };
}
