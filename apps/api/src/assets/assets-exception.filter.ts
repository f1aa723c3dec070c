import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { httpErrorBody } from '../errors/http-error-body.js';
import { ASSETS_OPTIONS, type AssetsOptions } from './assets-options.js';

/** Every error of the asset routes as `{ code, message }` JSON; stacks go to the log, never the client. */
@Catch()
export class AssetsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Assets');

  constructor(@Inject(ASSETS_OPTIONS) private readonly options: AssetsOptions) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = httpErrorBody(error, this.options.maxUploadBytes);
    if (status >= 500) {
      this.logger.error({ msg: 'asset request failed', error: String(error) }, (error as Error)?.stack);
    }
    // A stream that failed after its headers went out cannot be answered any more.
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.status(status).json(body);
  }
}
