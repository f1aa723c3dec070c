import { type ArgumentsHost, Catch, type ExceptionFilter, Inject, Logger } from '@nestjs/common';
import { httpErrorBody } from '../errors/http-error-body.js';
import { sendErrorAnswer } from '../errors/send-error-answer.js';
import { ASSETS_OPTIONS, type AssetsOptions } from './assets-options.js';

/** Every error of the asset routes as `{ code, message }` JSON; stacks go to the log, never the client. */
@Catch()
export class AssetsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Assets');

  constructor(@Inject(ASSETS_OPTIONS) private readonly options: AssetsOptions) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const [status, body] = httpErrorBody(error, this.options.maxUploadBytes);
    sendErrorAnswer(host, { status, body }, error, this.logger);
  }
}
