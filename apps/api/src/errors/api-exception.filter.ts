import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { HTTP_STATUS, toApiError } from './api-error.js';

/**
 * REST errors as `{ code, message }` with the matching status; GraphQL errors pass through to
 * formatError. No stack trace ever reaches a client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    const response = host.switchToHttp().getResponse<Response>();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const code =
        status === 404
          ? 'NOT_FOUND'
          : status === 401
            ? 'UNAUTHENTICATED'
            : status === 413
              ? 'IMAGE_TOO_LARGE'
              : 'BAD_REQUEST';
      return response
        .status(status)
        .json({ code: status >= 500 ? 'INTERNAL' : code, message: exception.message });
    }
    const error = toApiError(exception);
    if (error.code === 'INTERNAL')
      this.logger.error({ msg: 'unexpected error', error: String((exception as Error)?.stack ?? exception) });
    return response.status(HTTP_STATUS[error.code]).json({ code: error.code, message: error.message });
  }
}
