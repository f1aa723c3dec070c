import { ImageInputError, type ImageLimits, type VerifiedImage, verifyImage } from '#clip';
import type { GeneratedImage } from './contract.js';
import { GeneratorError } from './errors.js';

/** Content types that claim nothing, so the sniffed type stands. */
const UNSPECIFIC_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
};

function normaliseType(contentType: string): string {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return TYPE_ALIASES[type] ?? type;
}

/**
 * Checks one image before it goes further (it decodes, fits the limits, and is the type it claimed to
 * be), and returns it verified: the one decode this candidate gets. Garbage becomes a GeneratorError for
 * that candidate alone.
 */
export async function checkGeneratedImage(
  generatorId: string,
  image: GeneratedImage,
  limits: ImageLimits,
): Promise<VerifiedImage> {
  let info;
  try {
    info = await verifyImage(image.bytes, limits);
  } catch (error) {
    if (!(error instanceof ImageInputError)) throw error;
    const code = error.code === 'IMAGE_TOO_LARGE' ? 'IMAGE_TOO_LARGE' : 'BAD_IMAGE';
    throw new GeneratorError(code, `${generatorId} returned an unusable image: ${error.message}`, {
      cause: error,
    });
  }
  const claimed = normaliseType(image.mimeType);
  if (!UNSPECIFIC_TYPES.has(claimed) && claimed !== info.mimeType) {
    throw new GeneratorError(
      'BAD_IMAGE',
      `${generatorId} said the image is ${claimed} but its bytes are ${info.mimeType}`,
    );
  }
  return info;
}
