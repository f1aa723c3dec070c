import type { GraphQLFormattedError } from 'graphql';
import { requestContext } from '../logging/request-context.js';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** Adds the request's id to every error's extensions, so a user's report leads to its log lines. */
export function withRequestId(format: FormatError): FormatError {
  return (formatted, error) => {
    const result = format(formatted, error);
    const requestId = requestContext.get()?.requestId;
    return requestId ? { ...result, extensions: { ...result.extensions, requestId } } : result;
  };
}
