import { dot, type RgbImage } from '#clip';
import type { ClipPort } from '../clip-port.js';
import type { Box } from './windows.js';

/**
 * Tightens a window to the thing in it that the text describes, by occlusion (Zeiler & Fergus 2014):
 * each cell of a grid over the window is painted with the window's border colour in turn, and the cells
 * whose loss costs the most similarity to the text bound the region. A window that scores best is often
 * about twice the object (CLIP likes some context); this finds the object inside it.
 */
export async function refineRegion(
  clip: ClipPort,
  image: RgbImage,
  window: Box,
  text: Float32Array,
  grid: number,
): Promise<Box> {
  const base = cropPixels(image, window);
  const fill = borderColour(base);
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
  const reference = dot(original!, text);
  const loss = variants.map((v) => reference - dot(v, text));
  const importance = cells.map((_, k) => {
    const [i, j] = [k % grid, Math.floor(k / grid)];
    const covering = occluders.flatMap((o, n) =>
      i - o.i >= 0 && i - o.i <= 1 && j - o.j >= 0 && j - o.j <= 1 ? [loss[n]!] : [],
    );
    return covering.reduce((sum, l) => sum + l, 0) / covering.length;
  });
  const strongest = Math.max(...importance);
  // Occluding nothing that matters costs nothing: keep the window as it is.
  if (!(strongest > 0.005)) return window;
  // Cells costing at least a third of the most important one bound the object (tuned on procedural scenes).
  const hot = cells.filter((_, k) => importance[k]! >= 0.35 * strongest);
  const x0 = Math.min(...hot.map((c) => c.x));
  const y0 = Math.min(...hot.map((c) => c.y));
  const x1 = Math.max(...hot.map((c) => c.x + c.width));
  const y1 = Math.max(...hot.map((c) => c.y + c.height));
  return { x: window.x + x0, y: window.y + y0, width: x1 - x0, height: y1 - y0 };
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

/** The mean colour of the crop's outermost pixels: what "nothing here" looks like in this picture. */
function borderColour(image: RgbImage): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      if (y > 0 && y < image.height - 1 && x > 0 && x < image.width - 1) continue;
      const p = (y * image.width + x) * 3;
      for (let c = 0; c < 3; c++) sum[c]! += image.data[p + c]!;
      n++;
    }
  }
  return [sum[0]! / n, sum[1]! / n, sum[2]! / n];
}

function paint(image: RgbImage, cell: Box, colour: readonly number[]): RgbImage {
  const data = Uint8Array.from(image.data);
  for (let y = cell.y; y < cell.y + cell.height; y++) {
    for (let x = cell.x; x < cell.x + cell.width; x++) {
      const p = (y * image.width + x) * 3;
      data[p] = colour[0]!;
      data[p + 1] = colour[1]!;
      data[p + 2] = colour[2]!;
    }
  }
  return { data, width: image.width, height: image.height };
}
