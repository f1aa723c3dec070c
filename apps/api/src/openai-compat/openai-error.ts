import { HttpException } from '@nestjs/common';
import { ApiError } from '../errors/api-error.js';
import { httpErrorBody } from '../errors/http-error-body.js';
import { InvalidParamError } from './openai-request.js';

/** OpenAI's error body: the client libraries read `error.message`, `type`, `param` and `code`. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string };
}

export interface OpenAiErrorAnswer {
  status: number;
  body: OpenAiErrorBody;
  /** Seconds for the `Retry-After` header; set on 429 only. */
  retryAfterSeconds: number | null;
}

/**
 * Where OpenAI's API answers differently from our REST status table: a full queue is "too many
 * requests", which OpenAI clients retry after `Retry-After`.
 */
const OPENAI_STATUS: Readonly<Record<string, number>> = { QUEUE_FULL: 429 };
/** The parameter a code always concerns, where the error itself does not name one. */
const PARAM_OF_CODE: Readonly<Record<string, string>> = { PROMPT_TOO_LONG: 'prompt' };

/**
 * The status and body OpenAI's clients expect for `exception`. The status comes from the API's one code →
 * status table (errors/api-error.ts); our stable code goes in `code`.
 */
export function openAiErrorAnswer(
  exception: unknown,
  limits: { maxUploadBytes: number; maxUploadFiles: number; retryAfterSeconds: number },
): OpenAiErrorAnswer {
  const error = fromMulter(exception, limits.maxUploadFiles) ?? exception;
  const [restStatus, { code, message }] = httpErrorBody(error, limits.maxUploadBytes);
  const status = OPENAI_STATUS[code] ?? restStatus;
  return {
    status,
    body: {
      error: {
        message,
        type: typeOf(status),
        param: error instanceof InvalidParamError ? error.param : (PARAM_OF_CODE[code] ?? null),
        code,
      },
    },
    retryAfterSeconds: status === 429 ? limits.retryAfterSeconds : null,
  };
}

/** multer reports too many files as a bare 400; it is our TOO_MANY_ITEMS. */
function fromMulter(exception: unknown, maxFiles: number): ApiError | null {
  if (!(exception instanceof HttpException)) return null;
  const cause = exception.cause as { code?: unknown } | undefined;
  if (cause?.code !== 'LIMIT_FILE_COUNT') return null;
  return new ApiError(
    'TOO_MANY_ITEMS',
    `a request takes at most ${maxFiles} images and a mask (MAX_UPLOAD_FILES)`,
  );
}

function typeOf(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}
