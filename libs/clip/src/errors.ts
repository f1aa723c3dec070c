/** Stable machine-readable codes; the API maps them 1:1 onto GraphQL error codes. */
export type ClipErrorCode =
  | 'MODEL_FILE_MISSING'
  | 'MODEL_INVALID'
  | 'BAD_IMAGE'
  | 'UNSUPPORTED_IMAGE_FORMAT'
  | 'IMAGE_TOO_LARGE'
  | 'BAD_INPUT'
  | 'PULL_FAILED';

export class ClipError extends Error {
  constructor(
    readonly code: ClipErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ClipError';
  }
}

/** A model folder lacks a file, or a file lacks a tensor the engine needs. */
export class ModelLoadError extends ClipError {
  constructor(code: 'MODEL_FILE_MISSING' | 'MODEL_INVALID', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'ModelLoadError';
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
    this.name = 'ImageInputError';
    this.index = options?.index;
  }
}
