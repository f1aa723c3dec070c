import type { RgbImage } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { type Component, estimateBackground, foregroundComponents, type Rgb } from './foreground.js';
import type { Box } from './windows.js';

export interface RefineOptions {
  /**
   * Cells per side of the occlusion grid, used where the window has no plain ground or no component on it
   * carries the evidence: 1 + (grid − 1)² CLIP evaluations (0 or 1: keep the window).
   */
  grid: number;
  /** RGB distance (0–441) within which a pixel counts as the background colour. */
  backgroundTolerance: number;
  /** Least share of the window's border that must be the background colour to trace objects on it. */
  minBackgroundShare: number;
  /** Most foreground components erased one at a time, the largest in the window: 1 + this many evaluations. */
  maxComponents: number;
  /** Components whose erasure costs at least this share of the costliest one's join the region. */
  componentShare: number;
  /** How far beyond the window (as a share of its side) a component is followed. */
  searchMargin: number;
  /** Least evidence (log-odds) an erasure must cost to say where the described thing is. */
  minDrop: number;
}

export const DEFAULT_REFINE_OPTIONS: RefineOptions = {
  grid: 6,
  backgroundTolerance: 40,
  minBackgroundShare: 0.5,
  maxComponents: 8,
  componentShare: 0.5,
  searchMargin: 0.5,
  minDrop: 0.1,
};

/** Components smaller than this share of the window are specks (noise, anti-aliasing), not parts. */
const SPECK = 0.002;

export interface Refinement {
  box: Box;
  /** `components`: fitted to what differs from the ground; `occlusion`: grid cells; `window`: unchanged. */
  method: 'components' | 'occlusion' | 'window';
  /** CLIP image evaluations spent. */
  evaluations: number;
}

/**
 * Tightens a window to the thing in it that the rule describes, by occlusion (Zeiler & Fergus 2014):
 * parts of the window are painted with its background colour in turn, and the parts whose loss costs the
 * most evidence (the log-odds of the description against the rule's other texts) bound the region.
 *
 * Where the window's border shows a plain ground, the parts are the connected regions of pixels that
 * differ from it (segments, as LIME occludes superpixels), so the box follows the object's own edges and
 * extends past the window where the object does. Elsewhere the parts are cells of a grid.
 */
export async function refineRegion(
  clip: ClipPort,
  image: RgbImage,
  window: Box,
  evidence: (embedding: Float32Array) => number,
  options: RefineOptions = DEFAULT_REFINE_OPTIONS,
): Promise<Refinement> {
  const base = cropPixels(image, window);
  const ground = estimateBackground(image, window, options.backgroundTolerance);
  if (ground.share >= options.minBackgroundShare && options.maxComponents > 0) {
    const byComponents = await refineByComponents(
      clip,
      image,
      window,
      base,
      ground.colour,
      evidence,
      options,
    );
    if (byComponents.box)
      return { box: byComponents.box, method: 'components', evaluations: byComponents.evaluations };
    const byGrid = await refineByGrid(clip, window, base, ground.colour, evidence, options);
    return { ...byGrid, evaluations: byGrid.evaluations + byComponents.evaluations };
  }
  return refineByGrid(clip, window, base, ground.colour, evidence, options);
}

async function refineByComponents(
  clip: ClipPort,
  image: RgbImage,
  window: Box,
  base: RgbImage,
  ground: Rgb,
  evidence: (embedding: Float32Array) => number,
  options: RefineOptions,
): Promise<{ box: Box | null; evaluations: number }> {
  const margin = Math.round(options.searchMargin * Math.max(window.width, window.height));
  const area = clampToImage(
    {
      x: window.x - margin,
      y: window.y - margin,
      width: window.width + 2 * margin,
      height: window.height + 2 * margin,
    },
    image,
  );
  const minPixels = Math.max(4, Math.round(SPECK * window.width * window.height));
  const inWindow = (c: Component): number => countInside(c, image.width, window);
  const components = foregroundComponents(image, area, ground, options.backgroundTolerance, minPixels)
    .map((c) => ({ c, inside: inWindow(c) }))
    .filter(({ inside }) => inside >= minPixels)
    .sort((a, b) => b.inside - a.inside)
    .slice(0, options.maxComponents)
    .map(({ c }) => c);
  if (components.length === 0) return { box: null, evaluations: 0 };
  const erased = components.map((c) => ({ rgb: erase(base, window, image.width, c, ground) }));
  const [original, ...variants] = await clip.embedImages([{ rgb: base }, ...erased]);
  const reference = evidence(original!);
  const drops = variants.map((v) => reference - evidence(v));
  const strongest = Math.max(...drops);
  const evaluations = 1 + erased.length;
  if (!(strongest >= options.minDrop)) return { box: null, evaluations };
  const kept = components.filter((_, i) => drops[i]! >= options.componentShare * strongest);
  return { box: union(kept.map((c) => c.box)), evaluations };
}

async function refineByGrid(
  clip: ClipPort,
  window: Box,
  base: RgbImage,
  fill: Rgb,
  evidence: (embedding: Float32Array) => number,
  options: RefineOptions,
): Promise<Refinement> {
  const grid = options.grid;
  if (grid < 2) return { box: window, method: 'window', evaluations: 0 };
  const cells = Array.from({ length: grid * grid }, (_, k) =>
    cellBox(window.width, window.height, grid, k % grid, Math.floor(k / grid)),
  );
  // Occluders of 2 × 2 cells stepped one cell at a time: a cell's importance is the mean loss of the
  // occluders covering it, smoother than occluding single cells.
  const span = grid - 1;
  const occluders = Array.from({ length: span * span }, (_, k) => ({ i: k % span, j: Math.floor(k / span) }));
  const painted = occluders.map(({ i, j }) => {
    const a = cells[j * grid + i]!;
    const b = cells[(j + 1) * grid + i + 1]!;
    return {
      rgb: paint(base, { x: a.x, y: a.y, width: b.x + b.width - a.x, height: b.y + b.height - a.y }, fill),
    };
  });
  const [original, ...variants] = await clip.embedImages([{ rgb: base }, ...painted]);
  const evaluations = 1 + painted.length;
  const reference = evidence(original!);
  const loss = variants.map((v) => reference - evidence(v));
  const importance = cells.map((_, k) => {
    const [i, j] = [k % grid, Math.floor(k / grid)];
    const covering = occluders.flatMap((o, n) =>
      i - o.i >= 0 && i - o.i <= 1 && j - o.j >= 0 && j - o.j <= 1 ? [loss[n]!] : [],
    );
    return covering.reduce((sum, l) => sum + l, 0) / covering.length;
  });
  const strongest = Math.max(...importance);
  // Occluding nothing that matters costs nothing: keep the window as it is.
  if (!(strongest >= options.minDrop)) return { box: window, method: 'window', evaluations };
  // The hot cells connected to the hottest one bound the region.
  const hot = connectedHotCells(importance, grid, 0.35 * strongest);
  const box = union(hot.map((k) => cells[k]!));
  return { box: { ...box, x: window.x + box.x, y: window.y + box.y }, method: 'occlusion', evaluations };
}

function connectedHotCells(importance: readonly number[], grid: number, floor: number): number[] {
  const peak = importance.indexOf(Math.max(...importance));
  const seen = new Set([peak]);
  const stack = [peak];
  while (stack.length > 0) {
    const k = stack.pop()!;
    const [i, j] = [k % grid, Math.floor(k / grid)];
    for (const [ni, nj] of [
      [i - 1, j],
      [i + 1, j],
      [i, j - 1],
      [i, j + 1],
    ] as const) {
      const n = nj * grid + ni;
      if (ni < 0 || nj < 0 || ni >= grid || nj >= grid || seen.has(n) || importance[n]! < floor) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return [...seen];
}

export function cropPixels(image: RgbImage, box: Box): RgbImage {
  const data = new Uint8Array(box.width * box.height * 3);
  for (let y = 0; y < box.height; y++) {
    const start = ((box.y + y) * image.width + box.x) * 3;
    data.set(image.data.subarray(start, start + box.width * 3), y * box.width * 3);
  }
  return { data, width: box.width, height: box.height };
}

function cellBox(width: number, height: number, grid: number, i: number, j: number): Box {
  const x = Math.round((i * width) / grid);
  const y = Math.round((j * height) / grid);
  return {
    x,
    y,
    width: Math.round(((i + 1) * width) / grid) - x,
    height: Math.round(((j + 1) * height) / grid) - y,
  };
}

function paint(image: RgbImage, cell: Box, colour: Rgb): RgbImage {
  const data = Uint8Array.from(image.data);
  for (let y = cell.y; y < cell.y + cell.height; y++) {
    for (let x = cell.x; x < cell.x + cell.width; x++) {
      const p = (y * image.width + x) * 3;
      data[p] = colour[0];
      data[p + 1] = colour[1];
      data[p + 2] = colour[2];
    }
  }
  return { data, width: image.width, height: image.height };
}

/** The window's crop with one component's pixels painted the ground colour. */
function erase(base: RgbImage, window: Box, imageWidth: number, component: Component, colour: Rgb): RgbImage {
  const data = Uint8Array.from(base.data);
  for (const pixel of component.pixels) {
    const x = (pixel % imageWidth) - window.x;
    const y = Math.floor(pixel / imageWidth) - window.y;
    if (x < 0 || y < 0 || x >= window.width || y >= window.height) continue;
    const p = (y * window.width + x) * 3;
    data[p] = colour[0];
    data[p + 1] = colour[1];
    data[p + 2] = colour[2];
  }
  return { data, width: base.width, height: base.height };
}

function countInside(component: Component, imageWidth: number, box: Box): number {
  let n = 0;
  for (const pixel of component.pixels) {
    const x = pixel % imageWidth;
    const y = Math.floor(pixel / imageWidth);
    if (x >= box.x && y >= box.y && x < box.x + box.width && y < box.y + box.height) n++;
  }
  return n;
}

function union(boxes: readonly Box[]): Box {
  const x0 = Math.min(...boxes.map((b) => b.x));
  const y0 = Math.min(...boxes.map((b) => b.y));
  const x1 = Math.max(...boxes.map((b) => b.x + b.width));
  const y1 = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function clampToImage(box: Box, image: RgbImage): Box {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(image.width, box.x + box.width);
  const y1 = Math.min(image.height, box.y + box.height);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
