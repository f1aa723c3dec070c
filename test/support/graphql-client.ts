export interface GraphQLResponse<T> {
  status: number;
  data: T | null;
  errors: { message: string; extensions?: { code?: string } }[] | undefined;
}

/** POSTs a GraphQL operation as JSON, as any client would. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLResponse<T>['errors'] };
  return { status: response.status, data: body.data ?? null, errors: body.errors };
}

/**
 * Sends an operation with file uploads as a GraphQL multipart request
 * (https://github.com/jaydenseric/graphql-multipart-request-spec). `files` maps variable paths such as
 * `variables.image.upload` to bytes.
 */
export async function gqlUpload<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  files: Record<string, Uint8Array>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables }));
  const paths = Object.keys(files);
  form.set('map', JSON.stringify(Object.fromEntries(paths.map((p, i) => [String(i), [p]]))));
  paths.forEach((p, i) => form.set(String(i), new Blob([files[p]!]), `file${i}.png`));
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    // Apollo's CSRF protection asks non-JSON requests to prove they are not a simple cross-site form post.
    headers: { 'apollo-require-preflight': 'true', ...headers },
    body: form,
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLResponse<T>['errors'] };
  return { status: response.status, data: body.data ?? null, errors: body.errors };
}

/** The first error's code, for asserting failures. */
export function errorCode(response: GraphQLResponse<unknown>): string | undefined {
  return response.errors?.[0]?.extensions?.code;
}
