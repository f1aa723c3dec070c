import { type ImageLimits, probeImage } from '#clip';
import sharp from 'sharp';
import { ApiError } from '../errors/api-error.js';
import { InvalidParamError } from './openai-request.js';

/** Alpha at or below this counts as transparent, i.e. editable. */
const TRANSPARENT = 127;

/**
 * OpenAI's mask (a PNG whose fully transparent pixels mark what may change) as the edit search takes one:
 * a grey PNG, white editable, black kept, soft edges kept soft.
 */
export async function editableFromAlpha(png: Uint8Array, limits: ImageLimits): Promise<Buffer> {
  const info = await probeImage(png, limits);
  if (info.format !== 'png' || !info.hasAlpha) {
    throw new InvalidParamError(
      'mask',
      'the mask must be a PNG with an alpha channel: its transparent pixels mark what the edit may change',
    );
  }
  const { data, info: raw } = await sharp(png, { limitInputPixels: limits.maxPixels, failOn: 'truncated' })
    .timeout({ seconds: limits.decodeTimeoutSeconds })
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((cause: unknown) => {
      throw new ApiError('BAD_IMAGE', 'the mask could not be decoded as a PNG', { cause });
    });
  const editable = Buffer.alloc(raw.width * raw.height);
  let transparent = 0;
  for (let i = 0; i < editable.length; i++) {
    const alpha = data[i * raw.channels + raw.channels - 1]!;
    editable[i] = 255 - alpha;
    if (alpha <= TRANSPARENT) transparent++;
  }
  if (transparent === 0) {
    throw new InvalidParamError(
      'mask',
      'the mask has no transparent pixels: make transparent the part the edit may change',
    );
  }
  return sharp(editable, { raw: { width: raw.width, height: raw.height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}
