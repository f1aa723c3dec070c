/**
 * A second, independent way of drawing the procedural world's scenes: plain point-in-shape tests on a
 * pixel grid (2×2 supersampled), CSS colour values instead of the renderer's palette, other proportions.
 * If the bundled model only knew its own renderer's strokes it would fail here.
 */
import type { RgbImage } from '#clip';

export const CSS_COLOURS: Readonly<Record<string, [number, number, number]>> = {
  red: [255, 0, 0],
  green: [0, 128, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  orange: [255, 165, 0],
  purple: [128, 0, 128],
  pink: [255, 192, 203],
  brown: [165, 42, 42],
  black: [0, 0, 0],
  white: [255, 255, 255],
  gray: [128, 128, 128],
};

type Inside = (x: number, y: number) => boolean;

function polygon(points: number): (x: number, y: number, inner?: number) => boolean {
  return (x, y) => {
    // A regular polygon with a vertex at the top: inside if within the apothem along every edge normal.
    const apothem = Math.cos(Math.PI / points);
    for (let k = 0; k < points; k++) {
      const angle = -Math.PI / 2 + ((k + 0.5) * 2 * Math.PI) / points;
      if (x * Math.cos(angle) + y * Math.sin(angle) > apothem) return false;
    }
    return true;
  };
}

function star(x: number, y: number): boolean {
  // Ray casting over the 10 vertices of a five-pointed star (inner radius 0.42).
  const vertices = Array.from({ length: 10 }, (_, k) => {
    const r = k % 2 === 0 ? 1 : 0.42;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    return [r * Math.cos(a), r * Math.sin(a)] as const;
  });
  let inside = false;
  for (let i = 0, j = vertices.length - 1; i < vertices.length; j = i++) {
    const [xi, yi] = vertices[i]!;
    const [xj, yj] = vertices[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export const SHAPE_TESTS: Readonly<Record<string, Inside>> = {
  circle: (x, y) => x * x + y * y <= 1,
  square: (x, y) => Math.abs(x) <= 0.75 && Math.abs(y) <= 0.75,
  triangle: polygon(3),
  hexagon: polygon(6),
  diamond: (x, y) => Math.abs(x) / 0.7 + Math.abs(y) <= 1,
  cross: (x, y) => (Math.abs(x) <= 0.28 && Math.abs(y) <= 0.9) || (Math.abs(y) <= 0.28 && Math.abs(x) <= 0.9),
  star,
  heart: (x, y) => {
    const u = x * 1.2;
    const v = -y * 1.2 + 0.25;
    return (u * u + v * v - 1) ** 3 - u * u * v ** 3 <= 0;
  },
};

export interface DrawnScene {
  colour: string;
  shape: string;
  background: string;
  image: RgbImage;
}

/** Draws one object: centre, radius and rotation as fractions of the canvas. */
export function drawScene(
  size: number,
  shape: string,
  colour: string,
  background: string,
  placement: { cx: number; cy: number; radius: number; rotation: number },
): DrawnScene {
  const inside = SHAPE_TESTS[shape]!;
  const fg = CSS_COLOURS[colour]!;
  const bg = CSS_COLOURS[background]!;
  const data = new Uint8Array(size * size * 3);
  const cos = Math.cos(-placement.rotation);
  const sin = Math.sin(-placement.rotation);
  const r = placement.radius * size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let covered = 0;
      for (const [ox, oy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        const dx = (px + ox - placement.cx * size) / r;
        const dy = (py + oy - placement.cy * size) / r;
        if (inside(dx * cos - dy * sin, dx * sin + dy * cos)) covered++;
      }
      const a = covered / 4;
      for (let c = 0; c < 3; c++) data[(py * size + px) * 3 + c] = Math.round(fg[c]! * a + bg[c]! * (1 - a));
    }
  }
  return { colour, shape, background, image: { data, width: size, height: size } };
}
