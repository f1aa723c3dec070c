import { readFile, stat } from 'node:fs/promises';
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { type DecodeStage, noteDecode } from './decode-events.js';
import { ImageInputError } from './errors.js';
import type { RgbImage } from './rgb-image.js';
import type { VerifiedImage } from './verified-image.js';

/** Limits applied to every image before it is decoded; each is a config value. */
export interface ImageLimits {
  /** Largest encoded size accepted, in bytes. */
  maxBytes: number;
  /** Largest width × height accepted: guards against decompression bombs. */
  maxPixels: number;
  /** Longest a single decode may take before it is abandoned. */
  decodeTimeoutSeconds: number;
}

export const DEFAULT_IMAGE_LIMITS: Readonly<ImageLimits> = {
  maxBytes: 32 * 1024 * 1024,
  maxPixels: 40_000_000,
  decodeTimeoutSeconds: 20,
};

/**
 * Encoded bytes, a path to a file holding them, already-decoded packed RGB (crops, edits: no
 * encode/decode round trip), or an image verified where it entered (its pixels and SHA-256 are reused).
 */
export type ImageInput = Uint8Array | { path: string } | { rgb: RgbImage } | VerifiedImage;

/** An input made ready: encoded bytes to decode, pixels as they are, or a verified image. */
export type LoadedImage = { bytes: Uint8Array } | { rgb: RgbImage } | { verified: VerifiedImage };

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

const MIME_TYPES: Readonly<Record<ImageFormat, string>> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  avif: 'image/avif',
  tiff: 'image/tiff',
};

export function mimeTypeOf(format: ImageFormat): string {
  return MIME_TYPES[format];
}

export interface ImageInfo {
  format: ImageFormat;
  mimeType: string;
  /** Width and height as displayed, after EXIF orientation. */
  width: number;
  height: number;
  hasAlpha: boolean;
  /** EXIF orientation as stored (1–8; 1 when there is none); width and height already account for it. */
  orientation: number;
}

/** Options every decode of untrusted bytes uses: pixel limit, first frame only, fail on truncation. */
export function decodeOptions(limits: ImageLimits): SharpOptions {
  return { limitInputPixels: limits.maxPixels, failOn: 'truncated', pages: 1, sequentialRead: true };
}

/** Reads a path, or checks bytes or pixels against the limits, without decoding anything. */
export async function loadImageInput(input: ImageInput, limits: ImageLimits): Promise<LoadedImage> {
  if (isVerifiedImage(input)) return { verified: input };
  if (typeof input === 'object' && input !== null && 'rgb' in input)
    return { rgb: checkRgb(input.rgb, limits) };
  return { bytes: await readImageInput(input, limits) };
}

function checkRgb(rgb: RgbImage, limits: ImageLimits): RgbImage {
  const { data, width, height } = rgb ?? {};
  if (
    !(data instanceof Uint8Array) ||
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1
  ) {
    throw new ImageInputError(
      'BAD_IMAGE',
      'rgb pixels need data (Uint8Array), and whole positive width and height',
    );
  }
  if (data.length !== width * height * 3) {
    throw new ImageInputError(
      'BAD_IMAGE',
      `rgb data holds ${data.length} bytes; ${width}×${height}×3 needs ${width * height * 3}`,
    );
  }
  if (width * height > limits.maxPixels) {
    throw new ImageInputError(
      'IMAGE_TOO_LARGE',
      `image is ${width}×${height} pixels; the limit is ${limits.maxPixels} (maxImagePixels)`,
    );
  }
  return rgb;
}

export async function readImageInput(input: ImageInput, limits: ImageLimits): Promise<Uint8Array> {
  if (input instanceof Uint8Array) {
    if (input.byteLength > limits.maxBytes) throw tooManyBytes(input.byteLength, limits);
    return input;
  }
  if (typeof input !== 'object' || input === null || !('path' in input) || typeof input.path !== 'string') {
    throw new ImageInputError(
      'BAD_IMAGE',
      'an image must be given as bytes (Uint8Array), { path } or { rgb }',
    );
  }
  const size = await stat(input.path).then(
    (s) => s.size,
    (cause: unknown) => {
      throw new ImageInputError(
        'BAD_IMAGE',
        `cannot read image file ${input.path}: ${(cause as Error).message}`,
        {
          cause,
        },
      );
    },
  );
  if (size > limits.maxBytes) throw tooManyBytes(size, limits);
  return readFile(input.path);
}

function tooManyBytes(size: number, limits: ImageLimits): ImageInputError {
  return new ImageInputError(
    'IMAGE_TOO_LARGE',
    `image is ${size} bytes; the limit is ${limits.maxBytes} bytes (maxImageBytes)`,
  );
}

/** Reads the header only: format, oriented size, alpha. Rejects non-images, unsupported formats and bombs. */
export async function probeImage(bytes: Uint8Array, limits: ImageLimits): Promise<ImageInfo> {
  let meta: Metadata;
  try {
    // The header is read without the pixel limit so the check below can report the actual size.
    meta = await sharp(bytes, { ...decodeOptions(limits), limitInputPixels: false }).metadata();
  } catch (cause) {
    throw asImageError(cause, limits);
  }
  const format = supportedFormat(meta);
  const orientation = meta.orientation ?? 1;
  const swap = orientation >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  if (!width || !height) throw new ImageInputError('BAD_IMAGE', 'image has no width or height');
  if (width * height > limits.maxPixels) {
    throw new ImageInputError(
      'IMAGE_TOO_LARGE',
      `image is ${width}×${height} = ${width * height} pixels; the limit is ${limits.maxPixels} (maxImagePixels)`,
    );
  }
  return {
    format,
    mimeType: MIME_TYPES[format],
    width,
    height,
    hasAlpha: meta.hasAlpha === true,
    orientation,
  };
}

/** A sharp pipeline over untrusted bytes: limits, timeout, EXIF orientation applied, sRGB. */
export function openImage(bytes: Uint8Array, limits: ImageLimits): Sharp {
  return sharp(bytes, decodeOptions(limits))
    .timeout({ seconds: limits.decodeTimeoutSeconds })
    .autoOrient()
    .toColourspace('srgb');
}

/**
 * Full-size packed RGB as PIL's convert("RGB") gives it, but upright: oriented, alpha dropped, grey
 * replicated. Probe first: this decodes every pixel.
 */
export async function decodeRgb(
  bytes: Uint8Array,
  limits: ImageLimits,
  stage: DecodeStage = 'decode',
): Promise<RgbImage> {
  try {
    noteDecode(stage);
    const { data, info } = await openImage(bytes, limits)
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return { data, width: info.width, height: info.height };
  } catch (cause) {
    throw asImageError(cause, limits);
  }
}

/** A value verifyImage made (or verifiedFromPixels), rather than some other input. */
export function isVerifiedImage(input: unknown): input is VerifiedImage {
  return typeof input === 'object' && input !== null && (input as VerifiedImage).kind === 'verified';
}

function supportedFormat(meta: Metadata): ImageFormat {
  switch (meta.format) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'gif':
    case 'tiff':
      return meta.format;
    case 'heif':
      if (meta.compression === 'av1') return 'avif';
      break;
  }
  const name = meta.format === 'heif' ? `heif/${meta.compression ?? 'unknown'}` : String(meta.format);
  throw new ImageInputError(
    'UNSUPPORTED_IMAGE_FORMAT',
    `image format ${name} is not accepted; use JPEG, PNG, WebP, GIF, AVIF or TIFF`,
  );
}

/** Turns what sharp/libvips throws into a typed error with a message a person can act on. */
export function asImageError(cause: unknown, limits: ImageLimits): ImageInputError {
  if (cause instanceof ImageInputError) return cause;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (/pixel limit/i.test(message)) {
    return new ImageInputError('IMAGE_TOO_LARGE', `image exceeds the pixel limit of ${limits.maxPixels}`, {
      cause,
    });
  }
  if (/timeout/i.test(message)) {
    return new ImageInputError(
      'BAD_IMAGE',
      `image took longer than ${limits.decodeTimeoutSeconds}s to decode (decodeTimeoutSeconds)`,
      { cause },
    );
  }
  if (/unsupported image format/i.test(message)) {
    return new ImageInputError('BAD_IMAGE', 'input is not an image (no known image format signature)', {
      cause,
    });
  }
  return new ImageInputError('BAD_IMAGE', `image could not be decoded: ${message.split('\n')[0]}`, { cause });
}
