import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from '../../apps/api/src/errors/api-error.js';
import { documentedCodes } from './documented-codes.js';
import { type Outcome, verdictOf } from './outcome.js';
import { seededRng } from './prng.js';
import { mutate, seedImages } from './image-mutations.js';

const documented = new Set(['BAD_IMAGE', 'TIMEOUT', 'INTERNAL']);
const outcome = (fields: Partial<Outcome>): Outcome => ({
  op: 'x',
  requestId: 'soak-1',
  startedAt: 0,
  ms: 1,
  status: 200,
  codes: [],
  generatorCodes: [],
  assets: [],
  ...fields,
});

describe('verdictOf', () => {
  it.each([
    [{}, 'ok'],
    [{ status: 400, codes: ['BAD_IMAGE'] }, 'documented-error'],
    [{ status: 504, codes: ['TIMEOUT'] }, 'documented-error'],
    [{ status: 200, codes: ['BAD_IMAGE', 'TIMEOUT'] }, 'documented-error'],
    [{ status: 500, codes: ['INTERNAL'] }, 'bad'],
    [{ status: 400, codes: ['SOMETHING_NEW'] }, 'bad'],
    [{ status: 502 }, 'bad'],
    [{ status: null, failure: 'ECONNRESET' }, 'bad'],
    [{ status: 200, failure: 'not JSON: <html>' }, 'bad'],
  ] as [Partial<Outcome>, string][])('%j is %s', (fields, verdict) => {
    expect(verdictOf(outcome(fields), documented)).toBe(verdict);
  });
});

describe('documentedCodes', () => {
  it("reads the README's Errors section", () => {
    const codes = documentedCodes();
    expect(codes).toContain('BAD_IMAGE');
    expect(codes).toContain('INTERNAL');
    expect(codes).not.toContain('GRAPHQL_PARSE_FAILED');
  });

  it('holds every code a client can get (else the soak calls a documented answer bad)', () => {
    expect([...documentedCodes()].sort()).toEqual(Object.keys(API_ERROR_CODES).sort());
  });
});

describe('mutate', () => {
  it('replays the same mutations from the same seed', async () => {
    const seeds = await seedImages();
    const run = (seed: number) => {
      const rng = seededRng(seed);
      return Array.from({ length: 20 }, () => mutate(seeds.png, 'png', rng));
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7).map((m) => m.description)).not.toEqual(run(8).map((m) => m.description));
  });
});
