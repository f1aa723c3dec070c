import type { IncomingMessage } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { formatError } from './format-error.js';

interface ContextSource {
  /** An HTTP request (queries and mutations). */
  req?: IncomingMessage;
  /** A graphql-ws socket (subscriptions): its upgrade request and connection_init payload. */
  extra?: { request: IncomingMessage };
  connectionParams?: Readonly<Record<string, unknown>>;
}

/**
 * The resolvers' context: `{ req }` for both transports. A subscription's request is its socket's
 * upgrade request, carrying the key from the connection params (browsers cannot set headers on a
 * WebSocket) when the upgrade had none.
 */
export function graphqlContext(source: ContextSource): { req: IncomingMessage } {
  if (source.req) return { req: source.req };
  const request = source.extra!.request;
  const params = source.connectionParams ?? {};
  const key = params['authorization'] ?? params['Authorization'];
  const headers = { ...request.headers, ...(typeof key === 'string' ? { authorization: key } : {}) };
  return { req: { url: request.url, headers } as IncomingMessage };
}

/** graphql-ws on /graphql, its errors formatted as HTTP answers are (a code, never a stack). */
export const GRAPHQL_WS = {
  path: '/graphql',
  onNext: (_ctx: unknown, _id: string, _payload: unknown, _args: unknown, result: ExecutionResult) =>
    result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) } : undefined,
};
