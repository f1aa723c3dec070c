import type { CombinedError } from 'urql';

/** The API's stable error code (`extensions.code`), when it sent one. */
export function errorCode(error: CombinedError | undefined): string | undefined {
  const code = error?.graphQLErrors[0]?.extensions['code'];
  return typeof code === 'string' ? code : undefined;
}

/** What a person reads: the API's message, without urql's "[GraphQL]" prefix. */
export function errorText(error: CombinedError): string {
  const first = error.graphQLErrors[0];
  if (first) return first.message;
  return error.networkError
    ? `the server could not be reached (${error.networkError.message})`
    : error.message;
}
