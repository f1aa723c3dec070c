import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { sendErrorAnswer } from '../errors/send-error-answer.js';
import { openAiErrorAnswer } from './openai-error.js';

/** Paths whose errors OpenAI's clients read: those of the routes, and of what fails before one is found. */
export const isOpenAiPath = (path: string): boolean => path === '/v1' || path.startsWith('/v1/');

/** Every error of the `/v1` routes in OpenAI's shape and statuses; stacks go to the log only. */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('OpenAiCompat');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { status, body, retryAfterSeconds } = openAiErrorAnswer(exception, {
      maxUploadBytes: this.config.limits.maxUploadBytes,
      maxUploadFiles: this.config.limits.maxUploadFiles,
      retryAfterSeconds: this.config.openAiCompat.retryAfterSeconds,
    });
    const headers: Record<string, string> =
      retryAfterSeconds === null ? {} : { 'Retry-After': String(retryAfterSeconds) };
    sendErrorAnswer(host, { status, body, headers }, exception, this.logger);
  }
}
