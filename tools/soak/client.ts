import { randomUUID } from 'node:crypto';
import type { Outcome } from './outcome.js';

export interface SoakRequest {
  op: string;
  path: string;
  init: RequestInit;
  /** The ids of assets an answer reports stored. */
  assetsOf?: (body: unknown) => string[];
  /** The id of the job an answer reports queued. */
  jobOf?: (body: unknown) => string | undefined;
}

/** A request unanswered this long counts as lost (the machines here are small and shared: generous). */
const TIMEOUT_MS = 120_000;

/**
 * Sends one request and records what came back; never throws. Each request carries an `X-Request-Id`
 * of its own (unless it sets one), so a bad outcome can be found in the server's logs and a job row
 * traced to the request that made it.
 */
export async function send(url: string, request: SoakRequest): Promise<Outcome> {
  const startedAt = Date.now();
  const headers = new Headers(request.init.headers);
  if (!headers.has('x-request-id')) headers.set('x-request-id', `soak-${randomUUID()}`);
  const outcome = (fields: Partial<Outcome>): Outcome => ({
    op: request.op,
    requestId: headers.get('x-request-id')!,
    startedAt,
    ms: Date.now() - startedAt,
    status: null,
    codes: [],
    generatorCodes: [],
    assets: [],
    ...fields,
  });
  let response: Response;
  let text: string;
  try {
    response = await fetch(url + request.path, {
      ...request.init,
      headers,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    return outcome({ failure: causeOf(error) });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return outcome({ status: response.status, failure: `not JSON: ${text.slice(0, 80)}` });
  }
  return outcome({
    status: response.status,
    codes: codesOf(body),
    generatorCodes: generatorCodesOf(body),
    assets: response.ok ? (request.assetsOf?.(body) ?? []) : [],
    job: response.ok ? request.jobOf?.(body) : undefined,
  });
}

/** GraphQL `{ errors: [{ extensions: { code } }] }` or REST `{ code }`. */
function codesOf(body: unknown): string[] {
  const { errors, code } = (body ?? {}) as { errors?: { extensions?: { code?: unknown } }[]; code?: unknown };
  if (Array.isArray(errors)) return errors.map((e) => String(e.extensions?.code ?? 'NO_CODE'));
  return typeof code === 'string' ? [code] : [];
}

function generatorCodesOf(body: unknown): string[] {
  const errors = (body as { data?: { generate?: { errors?: { code: string }[] } } })?.data?.generate?.errors;
  return errors?.map((e) => e.code) ?? [];
}

/** fetch() hides the socket error behind "fetch failed". */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

export function graphqlRequest(
  op: string,
  query: string,
  variables: Record<string, unknown>,
  assetsOf?: (body: unknown) => string[],
): SoakRequest {
  return {
    op,
    path: '/graphql',
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    },
    ...(assetsOf ? { assetsOf } : {}),
  };
}

/** `POST /assets` with the bytes as the multipart field `file`. */
export function uploadRequest(op: string, bytes: Uint8Array, filename = 'image'): SoakRequest {
  const form = new FormData();
  form.set('file', new Blob([bytes]), filename);
  return {
    op,
    path: '/assets',
    init: { method: 'POST', body: form },
    assetsOf: (body) => [(body as { id: string }).id],
  };
}
