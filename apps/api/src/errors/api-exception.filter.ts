import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { isOpenAiPath, OpenAiExceptionFilter } from '../openai-compat/openai-exception.filter.js';
import { httpErrorBody } from './http-error-body.js';
import { sendErrorAnswer } from './send-error-answer.js';

/**
 * REST errors as `{ code, message }` with the matching status; GraphQL errors pass through to
 * formatError; under `/v1` (a body that does not parse, an unknown route) OpenAI's shape. No stack trace
 * ever reaches a client.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  private readonly openAi: OpenAiExceptionFilter;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.openAi = new OpenAiExceptionFilter(config);
  }

  catch(exception: unknown, host: ArgumentsHost): unknown {
    if (host.getType<string>() === 'graphql') return exception;
    if (isOpenAiPath(host.switchToHttp().getRequest<Request>().path))
      return this.openAi.catch(exception, host);
    const [status, body] = httpErrorBody(exception, this.config.limits.maxUploadBytes);
    return sendErrorAnswer(host, { status, body }, exception, this.logger);
  }
}
