import type { IncomingMessage } from 'node:http';

/** Aborted when the client closes the connection before the answer is complete. */
export function requestSignal(req: IncomingMessage | undefined): AbortSignal {
  const controller = new AbortController();
  const response = (
    req as { res?: { writableFinished: boolean; once(e: string, f: () => void): void } } | undefined
  )?.res;
  response?.once('close', () => {
    if (!response.writableFinished) controller.abort(new DOMException('the client went away', 'AbortError'));
  });
  return controller.signal;
}
