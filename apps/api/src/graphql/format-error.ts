import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { Logger } from '@nestjs/common';
import { ApiError, toApiError } from '../errors/api-error.js';

const logger = new Logger('GraphQL');

/** Every error leaves with a stable code and a message a user can act on; never a stack trace. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  // Our own validation rules (query limits) carry an ApiError as the original error.
  const cause = (error as { originalError?: unknown })?.originalError;
  if (cause instanceof ApiError) {
    return {
      message: cause.message,
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: cause.code },
    };
  }
  const apolloCode = formatted.extensions?.['code'];
  // Errors Apollo raises itself (syntax, validation, unknown fields) are about the query: keep its text.
  if (original === error && typeof apolloCode === 'string' && apolloCode !== 'INTERNAL_SERVER_ERROR') {
    return {
      message: formatted.message,
      locations: formatted.locations,
      extensions: { code: mapApolloCode(apolloCode) },
    };
  }
  const apiError = toApiError(original);
  if (apiError.code === 'INTERNAL')
    logger.error({ msg: 'unexpected error', error: String((original as Error)?.stack ?? original) });
  return {
    message: apiError.message,
    path: formatted.path,
    locations: formatted.locations,
    extensions: { code: apiError.code },
  };
}

/** Apollo's refusals of the request itself; its persisted-query codes are protocol and pass through. */
const REQUEST_ERRORS = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
]);

function mapApolloCode(code: string): string {
  return REQUEST_ERRORS.has(code) ? 'BAD_REQUEST' : code;
}
