import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { CLIP_ERROR_CODES, ClipError, type ClipErrorCode } from '#clip';
import { GENERATOR_ERROR_CODES, GeneratorError, type GeneratorErrorCode } from '#generators';
import { GUIDANCE_ERROR_CODES, GuidanceError, type GuidanceErrorCode } from '#guidance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../graphql/format-error.js';
import {
  URL_FETCH_ERROR_CODES,
  UrlFetchError,
  type UrlFetchErrorCode,
} from '../url-fetch/url-fetch-error.js';
import { API_ERROR_CODES } from './api-error.js';
import { httpErrorBody } from './http-error-body.js';

/** Every code each lib can throw, enumerated from the lib's own table, and how to make one. */
const LIBS: Record<string, { codes: readonly string[]; make: (code: string) => Error }> = {
  clip: {
    codes: Object.keys(CLIP_ERROR_CODES),
    make: (code) => new ClipError(code as ClipErrorCode, `clip says ${code}`),
  },
  generators: {
    codes: Object.keys(GENERATOR_ERROR_CODES),
    make: (code) => new GeneratorError(code as GeneratorErrorCode, `generator says ${code}`),
  },
  guidance: {
    codes: Object.keys(GUIDANCE_ERROR_CODES),
    make: (code) => new GuidanceError(code as GuidanceErrorCode, `guidance says ${code}`),
  },
  'url-fetch': {
    codes: Object.keys(URL_FETCH_ERROR_CODES),
    make: (code) => new UrlFetchError(code as UrlFetchErrorCode, `url fetch says ${code}`),
  },
};

/** Lib codes no request can cause (start-up, the CLI): the only ones allowed to become INTERNAL. */
const SERVER_SIDE = new Set(['clip PULL_FAILED', 'generators INVALID_CONFIG']);

/** The rows of the markdown table in docs/errors.md whose header starts with `first`, cells unquoted. */
function docTable(first: string): string[][] {
  const lines = readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`| ${first} `));
  expect(start, `docs/errors.md has a table starting with "${first}"`).toBeGreaterThan(-1);
  const rows = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim().replace(/^`|`$/g, '')),
    );
  }
  return rows;
}

const documented = new Map(
  docTable('lib').map(([lib, code, , graphqlCode, status]) => [
    `${lib} ${code}`,
    { graphqlCode, status: Number(status) },
  ]),
);
const walked = Object.entries(LIBS).flatMap(([lib, { codes }]) => codes.map((code) => `${lib} ${code}`));

describe('the error taxonomy', () => {
  // A real GraphQL server with the service's formatError: a resolver throws the lib's error.
  const server = new ApolloServer({
    typeDefs: 'type Query { fail(lib: String!, code: String!): Boolean }',
    resolvers: {
      Query: {
        fail: (_: unknown, { lib, code }: { lib: string; code: string }) => {
          throw LIBS[lib]!.make(code);
        },
      },
    },
    formatError,
  });
  beforeAll(() => server.start());
  afterAll(() => server.stop());

  async function graphqlCode(lib: string, code: string): Promise<unknown> {
    const response = await server.executeOperation({
      query: 'query($lib: String!, $code: String!) { fail(lib: $lib, code: $code) }',
      variables: { lib, code },
    });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult.errors?.[0]?.extensions?.['code'];
  }

  it.each(walked)('%s: becomes the GraphQL code and HTTP status docs/errors.md gives', async (key) => {
    const [lib, code] = key.split(' ') as [string, string];
    const expected = documented.get(key);
    expect(expected, `docs/errors.md lists ${key}`).toBeDefined();
    expect(await graphqlCode(lib, code)).toBe(expected!.graphqlCode);
    const [status, body] = httpErrorBody(LIBS[lib]!.make(code), 1024);
    expect([status, body.code]).toEqual([expected!.status, expected!.graphqlCode]);
    if (!SERVER_SIDE.has(key)) {
      expect(body.code, `${key} is a request's problem, not the server's`).not.toBe('INTERNAL');
      expect(body.message).toBe(LIBS[lib]!.make(code).message);
    }
  });

  it.each([
    ['a syntax error', '{ fail(', {}],
    ['an unknown field', '{ nope }', {}],
    ['a variable of the wrong type', 'query($lib: String!) { fail(lib: $lib, code: "X") }', { lib: 3 }],
  ])("makes GraphQL's own refusal of %s BAD_REQUEST", async (_, query, variables) => {
    const response = await server.executeOperation({ query, variables });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    expect(response.body.singleResult.errors?.[0]?.extensions?.['code']).toBe('BAD_REQUEST');
  });

  it('documents no code that no lib throws', () => {
    expect([...documented.keys()].sort()).toEqual([...walked].sort());
  });

  it('documents every API code with its HTTP status', () => {
    const table = docTable('code').map(([code, status]) => [code, Number(status)]);
    expect(table).toEqual(Object.entries(API_ERROR_CODES).map(([code, { status }]) => [code, status]));
  });

  it('keeps a bug a bug: a plain RangeError or TypeError is INTERNAL with no detail', async () => {
    for (const error of [new RangeError('index 7 out of range'), new TypeError('x is not a function')]) {
      const [status, body] = httpErrorBody(error, 1024);
      expect(status).toBe(500);
      expect(body.code).toBe('INTERNAL');
      expect(body.message).not.toContain(error.message);
    }
  });
});
