import sharp from 'sharp';
import { procedural } from '#generators';
import type { RgbImage } from '../image-io.js';

export { PARITY_DIR } from '#clip/test-support';
export { colourCounts, decodeRgb, edgeEnergy, meanSaturation, nearestColour } from '#generators/test-support';

/** A procedural scene drawn faithfully (fidelity 1) as PNG, with its objects' boxes. */
export async function sceneImage(request: procedural.SceneRequest, seed: number, size = 256) {
  const scene = procedural.realizeScene(request, { seed, fidelity: 1 });
  return { scene, ...(await procedural.renderScene(scene, { width: size, height: size })) };
}

/** A plain red circle on a white background, the subject of most operator tests. */
export function redCircle(size = 256) {
  return sceneImage(
    { objects: [{ colour: 'red', shape: 'circle' }], background: 'white', style: 'plain' },
    1,
    size,
  );
}

export function solid(rgb: readonly [number, number, number], width = 8, height = 8): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rgb[i % 3]!;
  return { data, width, height };
}

/** Mean of each channel. */
export function channelMeans({ data }: RgbImage): [number, number, number] {
  const sums = [0, 0, 0];
  for (let i = 0; i < data.length; i++) sums[i % 3]! += data[i]!;
  const n = data.length / 3;
  return [sums[0]! / n, sums[1]! / n, sums[2]! / n];
}

export async function encodePng(image: RgbImage): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
}
