import type { ArgumentsHost, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** What an exception filter answers: a status, a JSON body, and the headers that go with them. */
export interface ErrorAnswer {
  status: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/**
 * Answers a REST error the one way every filter does: a 5xx is logged with its stack (stacks go to the log,
 * never the client), and a response whose headers already went out (a stream that failed midway) cannot be
 * answered any more, so it is cut.
 */
export function sendErrorAnswer(
  host: ArgumentsHost,
  answer: ErrorAnswer,
  exception: unknown,
  logger: Logger,
): void {
  const response = host.switchToHttp().getResponse<Response>();
  if (answer.status >= 500) {
    logger.error({ msg: 'request failed', error: String((exception as Error)?.stack ?? exception) });
  }
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response
    .set(answer.headers ?? {})
    .status(answer.status)
    .json(answer.body);
}
