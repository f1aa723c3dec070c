import type { Shape } from './vocabulary.js';

export type Point = readonly [number, number];

/** Where the scene's unit square lies on a canvas: its central square, side = the shorter edge. */
export interface Frame {
  left: number;
  top: number;
  side: number;
}

export function frameOf(width: number, height: number): Frame {
  const side = Math.min(width, height);
  return { left: (width - side) / 2, top: (height - side) / 2, side };
}

function regular(count: number, radius: (i: number) => number, startDegrees: number): Point[] {
  return Array.from({ length: count }, (_, i) => {
    const a = ((startDegrees + (360 * i) / count) * Math.PI) / 180;
    return [radius(i) * Math.cos(a), radius(i) * Math.sin(a)] as const;
  });
}

/** The classic parametric heart, lobes up (y grows downwards, as in SVG). */
function heart(): Point[] {
  return Array.from({ length: 96 }, (_, i) => {
    const t = (2 * Math.PI * i) / 96;
    const x = 16 * Math.sin(t) ** 3;
    const y = -(13 * Math.cos(t) - 5 * Math.cos(2 * t) - 2 * Math.cos(3 * t) - Math.cos(4 * t));
    return [x, y] as const;
  });
}

function cross(arm: number): Point[] {
  return [
    [-arm, -1],
    [arm, -1],
    [arm, -arm],
    [1, -arm],
    [1, arm],
    [arm, arm],
    [arm, 1],
    [-arm, 1],
    [-arm, arm],
    [-1, arm],
    [-1, -arm],
    [-arm, -arm],
  ];
}

/** Centres a polygon on its bounding box and scales it so its farthest vertex is at radius 1. */
function normalise(points: readonly Point[]): Point[] {
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
  const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
  const radius = Math.max(...points.map(([x, y]) => Math.hypot(x - cx, y - cy)));
  return points.map(([x, y]) => [(x - cx) / radius, (y - cy) / radius] as const);
}

/**
 * Every shape as a polygon inscribed in the unit circle, so an object of a given size always fits the
 * same circle whatever its rotation. The circle is a 96-gon: under half a pixel off even at 2048 px.
 */
const OUTLINES: Readonly<Record<Shape, readonly Point[]>> = {
  circle: regular(96, () => 1, 0),
  square: normalise(regular(4, () => 1, 45)),
  triangle: normalise(regular(3, () => 1, -90)),
  star: regular(10, (i) => (i % 2 === 0 ? 1 : 0.45), -90),
  hexagon: regular(6, () => 1, 0),
  diamond: normalise([
    [0, -1],
    [0.62, 0],
    [0, 1],
    [-0.62, 0],
  ]),
  cross: normalise(cross(0.32)),
  heart: normalise(heart()),
};

export interface Placed {
  shape: Shape;
  x: number;
  y: number;
  size: number;
  rotation: number;
}

/** The object's outline in canvas pixels. */
export function outlineOf(object: Placed, frame: Frame): Point[] {
  const cx = frame.left + object.x * frame.side;
  const cy = frame.top + object.y * frame.side;
  const r = (object.size * frame.side) / 2;
  const a = (object.rotation * Math.PI) / 180;
  const [cos, sin] = [Math.cos(a), Math.sin(a)];
  return OUTLINES[object.shape].map(([x, y]) => [cx + r * (x * cos - y * sin), cy + r * (x * sin + y * cos)]);
}
