import { CodedError } from '#clip';

/**
 * Every code a GeneratorError can carry, with what it means. Clients see them in a generation's
 * `errors` list as they are; a thrown one is mapped explicitly by the API (docs/errors.md).
 */
export const GENERATOR_ERROR_CODES = {
  GENERATOR_FAILED: 'the generator or its upstream failed (a 5xx, a refused connection, a plugin that threw)',
  TIMEOUT: 'no answer before the timeout',
  RATE_LIMITED: 'the upstream answered 429 and retries ran out',
  UNAUTHENTICATED: "the upstream refused the generator's credentials (401/403)",
  BAD_REQUEST:
    'a request the generator cannot serve: an unknown generator id, a size out of range, too many images',
  BAD_RESPONSE: 'the upstream answered something that is not what its API promises',
  BAD_IMAGE: 'the generator returned bytes that are not a usable image, or not the type it claimed',
  IMAGE_TOO_LARGE: 'the generator returned an image or a response over the limits',
  UNSUPPORTED: 'the generator does not do what was asked (image-to-image of a text-to-image model, …)',
  CANCELLED: 'the request was cancelled before the generator answered',
  INVALID_CONFIG: 'a generator configuration entry that cannot be built (start-up only)',
} as const satisfies Record<string, string>;

/** Stable codes for what went wrong with a generator, one of GENERATOR_ERROR_CODES. */
export type GeneratorErrorCode = keyof typeof GENERATOR_ERROR_CODES;

export class GeneratorError extends CodedError<GeneratorErrorCode> {
  /** HTTP status of the upstream's last answer, when there was one. */
  readonly status: number | undefined;
  /** How many times the call was retried before this error. */
  readonly retries: number;

  constructor(
    code: GeneratorErrorCode,
    message: string,
    options?: { cause?: unknown; status?: number; retries?: number },
  ) {
    super(code, message, options);
    this.status = options?.status;
    this.retries = options?.retries ?? 0;
  }
}

/** A configuration entry that cannot be built, naming the entry and the key. */
export class GeneratorConfigError extends GeneratorError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_CONFIG', message, options);
  }
}
