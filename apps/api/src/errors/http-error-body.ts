import { HttpException, HttpStatus, PayloadTooLargeException } from '@nestjs/common';
import { HTTP_STATUS, toApiError } from './api-error.js';

export interface ErrorBody {
  code: string;
  message: string;
}

/** The status and `{ code, message }` body of a REST error; nothing from a stack ever goes in it. */
export function httpErrorBody(error: unknown, maxUploadBytes: number): [number, ErrorBody] {
  // Only multer raises this: an upload went past the limit.
  if (error instanceof PayloadTooLargeException) {
    return [
      HttpStatus.PAYLOAD_TOO_LARGE,
      {
        code: 'IMAGE_TOO_LARGE',
        message: `the file is larger than the upload limit of ${maxUploadBytes} bytes: send a smaller image`,
      },
    ];
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return [status, { code: HttpStatus[status] ?? 'ERROR', message: messageOf(error) }];
  }
  const apiError = toApiError(error);
  const message =
    apiError.code === 'INTERNAL'
      ? 'the request failed on the server; its log has the details'
      : apiError.message;
  return [HTTP_STATUS[apiError.code], { code: apiError.code, message }];
}

function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? error.message);
}
