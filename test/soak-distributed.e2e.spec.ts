import { afterEach, describe, expect, it } from 'vitest';
import { distributedWithKills } from '../tools/soak/distributed.js';
import { Cluster } from './support/cluster.js';
import { errorCode, type GraphQLResponse } from './support/graphql-client.js';
import { until } from './support/until.js';

const GENERATIONS = '/v1/images/generations';

// The small version of `npm run soak -- --only distributed` (tools/soak/distributed.ts): figures of the
// full run are in docs/reliability.md. A fixed seed: the same seed replays a failure's inputs.
describe('soak, distributed, small', () => {
  it('two API nodes, two workers, one SIGKILLed under load: every job once and done, every asset served by both', async () => {
    const report = await distributedWithKills({
      seconds: 10,
      callers: 8,
      seed: 5,
      faultRate: 0.3,
      killEveryMs: 4000,
    });
    expect(report.problems).toEqual([]);
    expect(report.kills).toBeGreaterThanOrEqual(1);
    // The load reached every path: synchronous and submitted jobs, their assets, the quick calls via workers.
    expect(Object.keys(report.summary.byOp).sort()).toEqual([
      'classify',
      'editImage',
      'generate',
      'scoreCaptions',
      'submitGenerate',
      'upload',
    ]);
    expect(report.jobs.rows).toBeGreaterThan(0);
    expect(report.submitted.jobs).toBeGreaterThan(0);
    expect(report.assetsChecked).toBeGreaterThan(0);
  }, 240_000);
});

describe('what the distributed soak found', () => {
  let cluster: Cluster | undefined;
  afterEach(async () => {
    await cluster?.dispose();
  });

  it('answers a synchronous generate whose job ran out of attempts with INTERRUPTED (it used to wait forever)', async () => {
    cluster = await Cluster.start({ JOB_ATTEMPTS: '1', JOB_LOCK_SECONDS: '1' });
    const [api, worker] = [await cluster.node('api'), await cluster.node('worker')];
    cluster.openai.fail(GENERATIONS, { delayMs: 60_000 }, 1);
    const answer = fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'mutation { generate(input: { prompt: "a red circle", count: 1, generators: ["oai"] }) { candidates { asset { id } } } }',
      }),
      signal: AbortSignal.timeout(45_000),
    }).then(async (response) => (await response.json()) as GraphQLResponse<unknown>);
    // The worker holds the job (its upstream call is under way), then dies with it.
    await until(async () => cluster!.openai.requests.some((r) => r.path === GENERATIONS), 30_000, 100);
    await worker.stop('SIGKILL');
    await cluster.node('worker'); // its stalled-job check finds the job out of attempts
    expect(errorCode(await answer)).toBe('INTERRUPTED');
  }, 120_000);
});
