import type { Scene, SceneObject } from './scene.js';
import { type Frame, frameOf, outlineOf, type Point } from './shapes.js';
import type { Rgb } from './vocabulary.js';

/** An axis-aligned box in pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface SceneSvg {
  svg: string;
  /** Per object, the pixel box around everything painted for it (stroke included), clipped to the canvas. */
  boxes: Box[];
}

/**
 * Draws the scene's background and objects as a self-contained SVG (no external references). The pattern
 * styles paint the object in its colour with stripes or dots of the background's, so a striped scene
 * still holds just the two colours its caption names; a thin outline keeps the silhouette readable.
 */
export function sceneSvg(scene: Scene, width: number, height: number): SceneSvg {
  const frame = frameOf(width, height);
  const defs: string[] = [];
  const shapes: string[] = [];
  const boxes: Box[] = [];
  scene.objects.forEach((object, i) => {
    const r = (object.size * frame.side) / 2;
    const outline = outlineOf(object, frame);
    const paint = objectPaint(scene, object, i, r, frame);
    if (paint.def) defs.push(paint.def);
    shapes.push(`<polygon points="${points(outline)}" ${paint.attributes}/>`);
    boxes.push(boundingBox(outline, paint.strokeWidth / 2, width, height));
  });
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    (defs.length > 0 ? `<defs>${defs.join('')}</defs>` : '') +
    `<rect width="${width}" height="${height}" fill="${hex(scene.backgroundRgb)}"/>` +
    shapes.join('') +
    '</svg>';
  return { svg, boxes };
}

interface Paint {
  attributes: string;
  strokeWidth: number;
  def?: string;
}

function objectPaint(scene: Scene, object: SceneObject, index: number, r: number, frame: Frame): Paint {
  const colour = hex(object.rgb);
  const cx = frame.left + object.x * frame.side;
  const cy = frame.top + object.y * frame.side;
  switch (scene.style) {
    case 'outlined': {
      const strokeWidth = Math.max(1.5, 0.14 * r);
      return { attributes: stroked('none', colour, strokeWidth), strokeWidth };
    }
    case 'striped':
    case 'dotted': {
      const id = `p${index}`;
      const period = Math.max(4, 0.5 * r);
      const ground = hex(scene.backgroundRgb);
      // Anchored on the object's centre and turned with it, so the pattern moves as the object does.
      const motif =
        scene.style === 'striped'
          ? `<rect width="${num(0.45 * period)}" height="${num(period)}" fill="${ground}"/>`
          : `<circle cx="${num(period / 2)}" cy="${num(period / 2)}" r="${num(0.27 * period)}" fill="${ground}"/>`;
      const transform = `translate(${num(cx)} ${num(cy)}) rotate(${num(object.rotation + (scene.style === 'striped' ? 45 : 0))})`;
      const def =
        `<pattern id="${id}" patternUnits="userSpaceOnUse" width="${num(period)}" height="${num(period)}" ` +
        `patternTransform="${transform}"><rect width="${num(period)}" height="${num(period)}" fill="${colour}"/>${motif}</pattern>`;
      const strokeWidth = Math.max(1, 0.06 * r);
      return { attributes: stroked(`url(#${id})`, colour, strokeWidth), strokeWidth, def };
    }
    default:
      return { attributes: `fill="${colour}"`, strokeWidth: 0 };
  }
}

function stroked(fill: string, colour: string, width: number): string {
  return `fill="${fill}" stroke="${colour}" stroke-width="${num(width)}" stroke-linejoin="round"`;
}

/** Round joins make the stroked outline the polygon grown by half the stroke, so the box grows by as much. */
function boundingBox(outline: readonly Point[], pad: number, width: number, height: number): Box {
  const xs = outline.map((p) => p[0]);
  const ys = outline.map((p) => p[1]);
  const left = Math.max(0, Math.floor(Math.min(...xs) - pad));
  const top = Math.max(0, Math.floor(Math.min(...ys) - pad));
  const right = Math.min(width, Math.ceil(Math.max(...xs) + pad));
  const bottom = Math.min(height, Math.ceil(Math.max(...ys) + pad));
  return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
}

function points(outline: readonly Point[]): string {
  return outline.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function hex(rgb: Rgb): string {
  return '#' + rgb.map((v) => v.toString(16).padStart(2, '0')).join('');
}
