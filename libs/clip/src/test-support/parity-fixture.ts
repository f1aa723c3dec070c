import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The transformers reference beside the checkout: ../shared/fixtures/clip-parity (read-only). */
export const PARITY_DIR = fileURLToPath(
  new URL('../../../../../shared/fixtures/clip-parity/', import.meta.url),
);
export const PARITY_MODEL = PARITY_DIR + 'model';

export interface ParityReference {
  logit_scale: number;
  pad_token_id: number;
  images: Record<string, { mode: string; reference: { image_embeds_torch: number[] } }>;
  texts: { text: string; input_ids: number[]; text_embeds: number[] }[];
  logits_per_image: { images: string[]; texts: string[]; values: number[][] };
}

export const reference = JSON.parse(readFileSync(PARITY_DIR + 'reference.json', 'utf8')) as ParityReference;

export function imagePath(name: string): string {
  return PARITY_DIR + 'images/' + name;
}

/** The reference pixel_values of an image: float32 little-endian [3, 224, 224]. */
export function referencePixels(name: string): Float32Array {
  const bytes = readFileSync(PARITY_DIR + 'pixels/' + name + '.f32');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
