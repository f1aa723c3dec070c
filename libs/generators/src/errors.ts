/** Stable codes for what went wrong with a generator; the API passes them to clients. */
export type GeneratorErrorCode =
  | 'GENERATOR_FAILED'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'UNAUTHENTICATED'
  | 'BAD_REQUEST'
  | 'BAD_RESPONSE'
  | 'BAD_IMAGE'
  | 'IMAGE_TOO_LARGE'
  | 'UNSUPPORTED'
  | 'CANCELLED'
  | 'INVALID_CONFIG';

export class GeneratorError extends Error {
  /** HTTP status of the upstream's last answer, when there was one. */
  readonly status: number | undefined;
  /** How many times the call was retried before this error. */
  readonly retries: number;

  constructor(
    readonly code: GeneratorErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; retries?: number },
  ) {
    super(message, options);
    this.name = 'GeneratorError';
    this.status = options?.status;
    this.retries = options?.retries ?? 0;
  }
}

/** A configuration entry that cannot be built, naming the entry and the key. */
export class GeneratorConfigError extends GeneratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_CONFIG', message, options);
    this.name = 'GeneratorConfigError';
  }
}
