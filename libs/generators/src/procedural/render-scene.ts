import sharp from 'sharp';
import type { RgbImage } from '#clip';
import { GeneratorError } from '../errors.js';
import { applyPixelStyle, withSharpStyle } from './image-styles.js';
import type { Scene } from './scene.js';
import { type Box, sceneSvg } from './scene-svg.js';
import { frameOf } from './shapes.js';

export type { Box } from './scene-svg.js';

export interface RenderOptions {
  width: number;
  height: number;
  format?: 'png' | 'jpeg';
}

export interface RenderedScene {
  bytes: Buffer;
  mimeType: 'image/png' | 'image/jpeg';
  width: number;
  height: number;
  /** Per object, in scene order: its axis-aligned pixel box after rotation. */
  boxes: Box[];
}

/** Canvas sides accepted, in pixels. */
export const RENDER_SIZE_LIMITS = { min: 16, max: 4096 } as const;

const JPEG_QUALITY = 90;

/** Draws a scene at any size; the objects sit in the central square, the background fills the rest. */
export async function renderScene(scene: Scene, options: RenderOptions): Promise<RenderedScene> {
  const { image, boxes } = await rasterizeScene(scene, options.width, options.height);
  const raw = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  const jpeg = options.format === 'jpeg';
  return {
    bytes: await (jpeg ? raw.jpeg({ quality: JPEG_QUALITY }) : raw.png()).toBuffer(),
    mimeType: jpeg ? 'image/jpeg' : 'image/png',
    width: image.width,
    height: image.height,
    boxes,
  };
}

/** The rendered scene as packed 8-bit RGB, before any encoding: what renderScene's PNG decodes to. */
export async function rasterizeScene(
  scene: Scene,
  width: number,
  height: number,
): Promise<{ image: RgbImage; boxes: Box[] }> {
  for (const side of [width, height]) {
    if (!Number.isInteger(side) || side < RENDER_SIZE_LIMITS.min || side > RENDER_SIZE_LIMITS.max)
      throw new GeneratorError(
        'BAD_REQUEST',
        `render size must be whole pixels from ${RENDER_SIZE_LIMITS.min} to ${RENDER_SIZE_LIMITS.max}, got ${width}×${height}`,
      );
  }
  const frame = frameOf(width, height);
  const { svg, boxes } = sceneSvg(scene, width, height);
  const data = await withSharpStyle(sharp(Buffer.from(svg)), scene.style, frame)
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer();
  const image = { data, width, height };
  applyPixelStyle(image, scene.style, frame, scene.seed);
  return { image, boxes };
}
