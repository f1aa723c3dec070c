import { randomUUID } from 'node:crypto';
import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { requestContext } from '../logging/request-context.js';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Characters trace ids use (UUIDs, W3C and cloud trace ids), and none that could break a log or a header. */
const SANE_ID = /^[A-Za-z0-9._~:/+=@-]+$/;

/** The caller's `X-Request-Id` when it is one plausible id of at most `maxLength` characters, else null. */
export function acceptedRequestId(header: string | string[] | undefined, maxLength: number): string | null {
  return typeof header === 'string' && header.length <= maxLength && SANE_ID.test(header) ? header : null;
}

/**
 * Gives every request an id (the caller's, when sane, else a new UUID), answers it in `X-Request-Id`,
 * runs the rest of the request inside its requestContext, and logs one line when the response is done.
 * Installed before the body parsers, so even a refused body carries the id.
 */
export function requestIdMiddleware(options: { maxLength: number; logger: Logger }) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const requestId = acceptedRequestId(req.headers[REQUEST_ID_HEADER], options.maxLength) ?? randomUUID();
    res.setHeader('X-Request-Id', requestId);
    requestContext.run({ requestId }, () => {
      const started = performance.now();
      res.once(
        'close',
        // Bound here: 'close' fires from the socket, outside the request's context.
        AsyncResource.bind(() =>
          options.logger.info({
            msg: 'request',
            method: req.method,
            path: req.originalUrl.split('?')[0],
            operation: operationName(req.body),
            status: res.statusCode,
            finished: res.writableFinished,
            ms: Math.round(performance.now() - started),
          }),
        ),
      );
      next();
    });
  };
}

function operationName(body: unknown): string | undefined {
  const name = (body as { operationName?: unknown } | undefined)?.operationName;
  return typeof name === 'string' ? name : undefined;
}
