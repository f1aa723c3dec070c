import { ImageInputError } from '#clip';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Response } from 'express';
import { ASSETS_OPTIONS, type AssetsOptions } from './assets-options.js';

export interface ErrorBody {
  code: string;
  message: string;
}

const IMAGE_ERROR_STATUS: Readonly<Record<ImageInputError['code'], number>> = {
  BAD_IMAGE: HttpStatus.BAD_REQUEST,
  UNSUPPORTED_IMAGE_FORMAT: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  IMAGE_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
};

/** Every error of the asset routes as `{ code, message }` JSON; stacks go to the log, never the client. */
@Catch()
export class AssetsExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Assets');

  constructor(@Inject(ASSETS_OPTIONS) private readonly options: AssetsOptions) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const [status, body] = this.describe(error);
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

  private describe(error: unknown): [number, ErrorBody] {
    if (error instanceof ImageInputError) {
      return [IMAGE_ERROR_STATUS[error.code], { code: error.code, message: error.message }];
    }
    // Only multer raises this here: the upload went past maxUploadBytes.
    if (error instanceof PayloadTooLargeException) {
      const limit = this.options.maxUploadBytes;
      return [
        HttpStatus.PAYLOAD_TOO_LARGE,
        {
          code: 'IMAGE_TOO_LARGE',
          message: `the file is larger than the upload limit of ${limit} bytes: send a smaller image`,
        },
      ];
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      return [status, { code: HttpStatus[status] ?? 'ERROR', message: messageOf(error) }];
    }
    return [
      HttpStatus.INTERNAL_SERVER_ERROR,
      { code: 'INTERNAL', message: 'the request failed on the server; its log has the details' },
    ];
  }
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
}
