/**
 * Every code a ClipError can carry, with what it means. The API maps each one explicitly
 * (apps/api/src/errors/lib-error-codes.ts) and docs/errors.md lists them.
 */
export const CLIP_ERROR_CODES = {
  MODEL_FILE_MISSING: 'a model folder lacks a file the engine needs',
  MODEL_INVALID: 'a model file is unreadable or lacks a tensor, input or output the engine needs',
  BAD_IMAGE: 'bytes that are not a whole image: corrupt, truncated, or not an image at all',
  UNSUPPORTED_IMAGE_FORMAT: 'an image in a format the engine does not decode',
  IMAGE_TOO_LARGE: 'an image over the byte or pixel limits',
  BAD_INPUT: 'an argument out of range: no labels, no references, an empty text, a malformed Hub id',
  PULL_FAILED: 'downloading a model from the Hub failed',
} as const satisfies Record<string, string>;

/** Stable machine-readable codes, one of CLIP_ERROR_CODES. */
export type ClipErrorCode = keyof typeof CLIP_ERROR_CODES;

/**
 * An error with a stable code from its thrower's table. The libs' and the API's error classes all extend
 * it (it lives here, in the lowest lib, so each can); the API maps each class's codes onto its own.
 */
export class CodedError<Code extends string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What the engine throws for a model it cannot load, an image it cannot read, an argument out of range. */
export class ClipError extends CodedError<ClipErrorCode> {}

/** A model folder lacks a file, or a file lacks a tensor the engine needs. */
export class ModelLoadError extends ClipError {
  declare readonly code: 'MODEL_FILE_MISSING' | 'MODEL_INVALID';

  constructor(code: ModelLoadError['code'], message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Bytes that are not a usable image: corrupt, truncated, an unsupported format, or over the limits. */
export type ImageErrorCode = 'BAD_IMAGE' | 'UNSUPPORTED_IMAGE_FORMAT' | 'IMAGE_TOO_LARGE';

export class ImageInputError extends ClipError {
  declare readonly code: ImageErrorCode;
  /** Position of the offending image in a batch call, when there was one. */
  readonly index: number | undefined;

  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown; index?: number }) {
    super(code, message, options);
    this.index = options?.index;
  }
}
