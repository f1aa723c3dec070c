import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { httpErrorBody } from './http-error-body.js';

/**
 * REST errors as `{ code, message }` with the matching status; GraphQL errors pass through to
 * formatError. No stack trace ever reaches a client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = httpErrorBody(exception, this.config.limits.maxUploadBytes);
    if (status >= 500)
      this.logger.error({ msg: 'request failed', error: String((exception as Error)?.stack ?? exception) });
    if (response.headersSent) return response.destroy();
    return response.status(status).json(body);
  }
}
