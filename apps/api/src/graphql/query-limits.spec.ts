import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { buildSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from '../config/app-config.js';
import { formatError } from './format-error.js';
import { queryCost, queryCostPlugin, queryDepthRule } from './query-limits.js';

// The schema the service serves (a spec beside emit-schema keeps the file current).
const schema = buildSchema(readFileSync(new URL('../../../../schema.gql', import.meta.url), 'utf8'));

const cost = (query: string, variables: Record<string, unknown> = {}, generators = 1): number =>
  queryCost({ schema, document: parse(query), variables, generators });

/** Apollo over the real schema, with the limits installed; `assets` answers a count of 7. */
async function run(query: string, variables: Record<string, unknown> = {}) {
  const server = new ApolloServer({
    schema,
    formatError,
    rootValue: { assets: { totalCount: 7 } },
    validationRules: [queryDepthRule(3)],
    plugins: [queryCostPlugin(150, 1)],
  });
  const response = await server.executeOperation({ query, variables });
  await server.stop();
  const body = response.body as {
    kind: 'single';
    singleResult: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  };
  return { status: response.http.status, data: body.singleResult.data, errors: body.singleResult.errors };
}

describe('query costs', () => {
  it('counts 1 per plain field', () => {
    expect(cost('{ asset(id: "a") { id url width } }')).toBe(4);
    expect(cost('{ generators { id kind } }')).toBe(3);
  });

  it('charges generated images: a generate with count 16 costs far more than an asset', () => {
    const generate = (count: number) =>
      cost(`mutation { generate(input: { prompt: "p", count: ${count} }) { candidates { rank } } }`);
    // count × (50 for the image + 1 for the field + 2 for the selection)
    expect(generate(16)).toBe(16 * 53);
    expect(generate(1)).toBe(53);
    expect(generate(16)).toBeGreaterThan(100 * cost('{ asset(id: "a") { id } }'));
  });

  it('lets the largest single generate through the default limit, but not three aliased in one request', () => {
    const limit = loadAppConfig({}).limits.graphqlMaxComplexity;
    const generate = (alias: string) =>
      `${alias}: generate(input: { prompt: "p", count: 16 }) { candidates { rank asset { id url } } }`;
    expect(cost(`mutation { ${generate('a')} }`)).toBeLessThanOrEqual(limit);
    expect(cost(`mutation { ${generate('a')} ${generate('b')} ${generate('c')} }`)).toBeGreaterThan(limit);
  });

  it('multiplies by the generators a generate asks: those it names, else all configured', () => {
    const query = (names: string) => `mutation { generate(input: { prompt: "p", count: 2${names} }) { id } }`;
    expect(cost(query(''), {}, 3)).toBe(2 * 3 * 52);
    expect(cost(query(', generators: ["a"]'), {}, 3)).toBe(2 * 52);
    expect(cost('mutation { generate(input: { prompt: "p" }) { id } }', {}, 1)).toBe(4 * 52);
  });

  it('reads arguments from variables and schema defaults, not only from literals', () => {
    const assets = 'query($n: Int) { assets(first: $n) { totalCount } }';
    expect(cost(assets, { n: 100 })).toBe(100 * 2);
    expect(cost(assets, { n: 3 })).toBe(3 * 2);
    expect(cost('{ assets { totalCount } }')).toBe(20 * 2);
  });

  it('charges model work by the embeddings it needs', () => {
    // 1 image (2) + 2 labels × 6 default templates (12) + 2 × (1 + 1 for `label`)
    expect(cost('{ classify(image: { assetId: "a" }, labels: ["x", "y"]) { label } }')).toBe(2 + 12 + 4);
    expect(cost('{ classify(image: { assetId: "a" }, labels: ["x"], templates: ["{}"]) { label } }')).toBe(
      2 + 1 + 2,
    );
    // per item: 2 + (1 caption + references) + 1 + 1
    expect(
      cost(
        `mutation { scoreCaptions(input: { items: [
          { image: { assetId: "a" }, caption: "c" },
          { image: { assetId: "a" }, caption: "c", references: ["r", "s"] }] }) { clipScore } }`,
      ),
    ).toBe(5 + 7);
    expect(
      cost(
        'mutation { editImage(input: { image: { assetId: "a" }, instruction: "i", budget: 8 }) { accepted } }',
      ),
    ).toBe(8 * 2 + 2);
    // 1 text + k × (1 + the selection: `hits` and its `score`)
    expect(cost('{ searchAssets(text: "t", k: 3) { hits { score } } }')).toBe(1 + 3 * (1 + 2));
  });
});

describe('query limits in Apollo', () => {
  it('refuses an over-costly operation before it runs, with QUERY_TOO_COMPLEX and status 400', async () => {
    const { status, errors } = await run('query($n: Int) { assets(first: $n) { totalCount } }', { n: 100 });
    expect([status, errors?.[0]?.extensions?.code, errors?.[0]?.message]).toEqual([
      400,
      'QUERY_TOO_COMPLEX',
      'query complexity 200 exceeds the limit of 150',
    ]);
  });

  it('lets an affordable one through, and leaves bad variables to execution', async () => {
    const affordable = await run('query($n: Int) { assets(first: $n) { totalCount } }', { n: 5 });
    expect([affordable.errors, affordable.data]).toEqual([undefined, { assets: { totalCount: 7 } }]);
    const bad = await run('query($n: Int) { assets(first: $n) { totalCount } }', { n: 'many' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('refuses over-deep queries, through fragments too, and survives fragment cycles', async () => {
    const deep = await run('{ assets { edges { node { id } } } }');
    expect([deep.errors?.[0]?.extensions?.code, deep.errors?.[0]?.message]).toEqual([
      'QUERY_TOO_COMPLEX',
      'query depth 4 exceeds the limit of 3',
    ]);
    const viaFragment = await run(
      '{ assets { ...E } } fragment E on AssetConnection { edges { node { id } } }',
    );
    expect(viaFragment.errors?.[0]?.message).toBe('query depth 4 exceeds the limit of 3');
    const cycle = await run('{ assets { ...A } } fragment A on AssetConnection { ...A }');
    expect(cycle.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
