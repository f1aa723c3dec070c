import type { SoakRequest } from './client.js';
import type { Rng } from './prng.js';

const TOKENS = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '$',
  '!',
  '@',
  '...',
  '=',
  '|',
  ',',
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'classify',
  'generate',
  'asset',
  'assets',
  'edges',
  'node',
  'id',
  'url',
  'image',
  'labels',
  'input',
  'prompt',
  '__typename',
  '__schema',
  '__type',
  'types',
  'fields',
  'name',
  'String',
  'Int',
  'ID',
  '"text"',
  '"\\u0000"',
  '"""block"""',
  '0',
  '-1',
  '1e309',
  '9007199254740993',
  'null',
  'true',
  '#comment\n',
];

/** A value of any JSON type, nested up to `depth`. */
function randomValue(rng: Rng, depth = 3): unknown {
  const kinds = depth > 0 ? 8 : 6;
  switch (rng.int(kinds)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick([0, -1, 2 ** 31, -(2 ** 53), 1e308, 0.5, -0]);
    case 3:
      return 'x'.repeat(rng.pick([0, 1, 100, 70_000]));
    case 4:
      return rng.bytes(rng.int(40)).toString('latin1');
    case 5:
      return rng.pick(['a'.repeat(64), '../../etc/passwd', '%00', '<script>', 'ünïcødé 🖼️']);
    case 6:
      return Array.from({ length: rng.int(6) }, () => randomValue(rng, depth - 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(5) }, (_, i) => [
          rng.pick(['image', 'labels', 'input', 'assetId', 'base64', 'url', `k${i}`]),
          randomValue(rng, depth - 1),
        ]),
      );
  }
}

const json = (op: string, body: string, contentType = 'application/json'): SoakRequest => ({
  op,
  path: '/graphql',
  init: { method: 'POST', headers: { 'content-type': contentType }, body },
});
const operation = (op: string, query: string, variables?: unknown): SoakRequest =>
  json(op, JSON.stringify({ query, variables }));

/** `{"url": {"url": … "x"}}` as JSON text, `depth` levels deep (too deep for JSON.stringify). */
function deepObject(depth: number): string {
  return `${'{"url": '.repeat(depth)}"x"${'}'.repeat(depth)}`;
}

/** Nested `{ a { a { … } } }` selections: `depth` levels of `field`. */
function nested(depth: number, field: string, leaf: string): string {
  return `${`${field} { `.repeat(depth)}${leaf}${' }'.repeat(depth)}`;
}

/** The kinds of hostile GraphQL requests, each drawn with random details. */
const KINDS: readonly ((rng: Rng) => SoakRequest)[] = [
  (rng) => operation('token soup', Array.from({ length: 1 + rng.int(60) }, () => rng.pick(TOKENS)).join(' ')),
  (rng) =>
    operation(
      'random variables',
      rng.pick([
        'query($image: ImageInput!, $labels: [String!]!) { classify(image: $image, labels: $labels) { label } }',
        'mutation($input: GenerateInput!) { generate(input: $input) { id } }',
        'mutation($input: ScoreCaptionsInput!) { scoreCaptions(input: $input) { clipScore } }',
        'mutation($input: EditImageInput!) { editImage(input: $input) { accepted } }',
        'query($id: ID!) { asset(id: $id) { id url } }',
        'query($first: Int, $after: String) { assets(first: $first, after: $after) { edges { node { id } } } }',
        'query($text: String, $k: Int) { searchAssets(text: $text, k: $k) { score } }',
      ]),
      randomValue(rng),
    ),
  (rng) =>
    operation(
      'deep introspection',
      `{ __type(name: "Query") { fields { type { ${nested(10 + rng.int(300), 'ofType', 'name')} } } } }`,
    ),
  (rng) => operation('deep selection', `{ ${nested(20 + rng.int(2000), 'assets { edges { node', 'id')} }`),
  (rng) =>
    operation(
      'alias flood',
      `{ ${Array.from({ length: 1000 + rng.int(20_000) }, (_, i) => `a${i}: __typename`).join(' ')} }`,
    ),
  (rng) =>
    operation(
      'costly aliases',
      `{ ${Array.from({ length: 2 + rng.int(200) }, (_, i) => `c${i}: classify(image: { assetId: "${'a'.repeat(64)}" }, labels: ["x"]) { label }`).join(' ')} }`,
    ),
  (rng) => operation('huge literal', `{ asset(id: "${'z'.repeat(100_000 + rng.int(2_000_000))}") { id } }`),
  (rng) =>
    operation(
      'huge list variable',
      'query($image: ImageInput!, $labels: [String!]!) { classify(image: $image, labels: $labels) { label } }',
      {
        image: { base64: 'AAAA' },
        labels: Array.from({ length: 1000 + rng.int(100_000) }, (_, i) => `label ${i}`),
      },
    ),
  (rng) => {
    const query = 'query($image: ImageInput!) { classify(image: $image, labels: ["x"]) { label } }';
    return json(
      'deep variable',
      `{"query": ${JSON.stringify(query)}, "variables": {"image": ${deepObject(50 + rng.int(5000))}}}`,
    );
  },
  (rng) =>
    operation(
      'fragment cycle',
      `fragment A on Query { ...B } fragment B on Query { ...A } query { ...A ${rng.chance(0.5) ? '__typename' : ''} }`,
    ),
  (rng) => operation('directive flood', `{ __typename ${'@include(if: true) '.repeat(1 + rng.int(5000))}}`),
  (rng) =>
    json(
      'malformed JSON',
      rng.pick([
        '{',
        '{"query": ',
        '{"query": 5}',
        '[]',
        '[{"query": "{ __typename }"}]',
        'null',
        '"x"',
        '',
        '{"query": "{ __typename }", "variables": "x"}',
      ]) + rng.bytes(rng.int(4)).toString('latin1'),
    ),
  (rng) =>
    json(
      'random body',
      rng.bytes(1 + rng.int(4000)).toString('latin1'),
      rng.pick(['application/json', 'text/plain', 'application/graphql', 'multipart/form-data; boundary=x']),
    ),
  (rng) => ({
    op: 'GET query',
    path: `/graphql?query=${encodeURIComponent(rng.pick(['{ __typename }', 'mutation { generate(input: { prompt: "x" }) { id } }', '{', Array.from({ length: 20 }, () => rng.pick(TOKENS)).join(' ')]))}`,
    init: { method: 'GET', headers: { 'apollo-require-preflight': 'true' } },
  }),
  (rng) =>
    operation(
      'many operations',
      `query A { __typename } query B { __typename } ${rng.chance(0.5) ? 'query A { __typename }' : ''}`,
    ),
];

/** A hostile GraphQL request, drawn from `rng`. */
export function graphqlCase(rng: Rng): SoakRequest {
  return rng.pick(KINDS)(rng);
}
