import type { ErrorRequestHandler } from 'express';
import { ApiError } from '../errors/api-error.js';

/**
 * graphql-upload fails a malformed multipart request with an http-errors 4xx, or with busboy's plain
 * Error for a body it cannot parse ("Unexpected end of form"). Both are the client's doing: they leave
 * as coded errors, not as INTERNAL. Errors of other requests pass through untouched.
 */
export const multipartErrors: ErrorRequestHandler = (error: unknown, request, _response, next) => {
  next(request.is('multipart/form-data') ? multipartError(error) : error);
};

export function multipartError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = /max file uploads exceeded/.test(message) ? 'TOO_MANY_ITEMS' : 'BAD_REQUEST';
  return new ApiError(code, `malformed multipart request: ${message}`, { cause: error });
}
