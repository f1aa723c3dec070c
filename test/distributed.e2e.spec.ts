import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningApp, waitForOk } from './support/app-process.js';
import { Cluster, JOB_FIELDS, type JobView } from './support/cluster.js';
import { errorCode, gql } from './support/graphql-client.js';
import { collect, wsClient } from './support/subscription.js';
import { until } from './support/until.js';

/** A worker's stalled job is taken up only after JOB_LOCK_SECONDS: waits here are longer. */
const WAIT_MS = 30_000;
const GENERATIONS = '/v1/images/generations';

let cluster: Cluster;

beforeAll(async () => {
  cluster = await Cluster.start({ WORKER_CONCURRENCY: '2', JOB_LOCK_SECONDS: '2', JOB_ATTEMPTS: '3' });
}, 60_000);
afterAll(async () => {
  await cluster?.dispose();
});

describe('distributed mode: two API nodes, two workers, Redis and PostgreSQL', () => {
  it('finishes every job once when a worker is killed mid-job, watched from the other API node', async () => {
    const [api1, api2, worker1] = [
      await cluster.node('api'),
      await cluster.node('api'),
      await cluster.node('worker'),
    ];
    expect(api1.process.pid).not.toBe(api2.process.pid);
    expect(await (await fetch(`${api1.url}/readyz`)).json()).toEqual({ status: 'ready', role: 'api' });
    expect((await fetch(`${worker1.url}/graphql`, { method: 'POST' })).status).toBe(404);

    // Two slow jobs that worker 1 takes (it runs two at once), then it dies with them.
    cluster.openai.fail(GENERATIONS, { delayMs: 60_000 }, 2);
    const submit = (api: RunningApp, input: Record<string, unknown>) => cluster.submitGenerate(api, input);
    const slow = [
      await submit(api1, {
        prompt: 'a red circle',
        count: 1,
        generators: ['oai', 'local'],
        width: 256,
        height: 256,
      }),
      await submit(api1, {
        prompt: 'a blue square',
        count: 1,
        generators: ['oai', 'local'],
        width: 256,
        height: 256,
      }),
    ];
    await until(
      async () => cluster.openai.requests.filter((r) => r.path === GENERATIONS).length >= 2,
      WAIT_MS,
      100,
    );
    const client = wsClient(api2.url);
    const watched = collect<{ jobUpdated: JobView }>(
      client,
      `subscription($id: ID!) { jobUpdated(id: $id) { ${JOB_FIELDS} } }`,
      { id: slow[0] },
    );
    const worker2 = await cluster.node('worker');
    await worker1.stop('SIGKILL');

    const quick = [];
    for (let i = 0; i < 4; i++)
      quick.push(
        await submit(i % 2 ? api1 : api2, {
          prompt: `a green heart ${i}`,
          count: 2,
          generators: ['local'],
          seed: i,
        }),
      );
    const sync = await gql<{ generate: { candidates: { asset: { id: string } }[] } }>(
      api2.url,
      'mutation { generate(input: { prompt: "a yellow star", count: 1, generators: ["local"], seed: 5 }) { candidates { asset { id } } } }',
    );
    expect(sync.errors).toBeUndefined();

    const ids = [...slow, ...quick];
    const finals = await Promise.all(
      ids.map((id) =>
        until(
          async () =>
            (await cluster.job(api2, id)).state === 'RUNNING' ||
            (await cluster.job(api2, id)).state === 'QUEUED'
              ? null
              : cluster.job(api2, id),
          WAIT_MS,
          100,
        ),
      ),
    );
    expect(finals.map((j) => j.state)).toEqual(ids.map(() => 'SUCCEEDED'));
    expect(finals.slice(0, 2).map((j) => j.attempts)).toEqual([2, 2]); // taken up by worker 2
    const events = (await watched).map((e) => e.jobUpdated);
    await client.dispose();
    expect(events.at(-1)).toMatchObject({ id: slow[0], state: 'SUCCEEDED' });

    // Every asset once in the shared store, served by both API nodes.
    const assetIds = new Set([
      ...finals.flatMap((j) => j.generation!.candidates.map((c) => c.asset.id)),
      ...sync.data!.generate.candidates.map((c) => c.asset.id),
    ]);
    const counted = await gql<{ assets: { totalCount: number } }>(
      api1.url,
      '{ assets(first: 1) { totalCount } }',
    );
    expect(counted.data!.assets.totalCount).toBe(assetIds.size);
    for (const api of [api1, api2]) {
      for (const id of assetIds) expect((await fetch(`${api.url}/assets/${id}`)).status).toBe(200);
    }
    const listed = await gql<{ jobs: { edges: { node: { id: string } }[] } }>(
      api1.url,
      '{ jobs(first: 100) { edges { node { id } } } }',
    );
    const listedIds = listed.data!.jobs.edges.map((e) => e.node.id);
    expect(new Set(listedIds).size).toBe(listedIds.length);
    expect(listedIds).toHaveLength(ids.length + 1);
    expect(worker2.process.exitCode).toBeNull();
  });

  it('fails fast with QUEUE_UNAVAILABLE while Redis is down, says so on /readyz, and recovers by itself', async () => {
    const api = cluster.nodes[0]!; // an API node
    await cluster.redis.stop();
    const refused = await gql(
      api.url,
      'mutation { submitGenerate(input: { prompt: "a red circle", count: 1 }) { id } }',
    );
    expect(errorCode(refused)).toBe('QUEUE_UNAVAILABLE');
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', code: 'QUEUE_UNAVAILABLE' });
    await cluster.redis.start();
    await waitForOk(api.url, '/readyz');
    const again = await gql<{ submitGenerate: { id: string } }>(
      api.url,
      'mutation { submitGenerate(input: { prompt: "a red circle", count: 1, generators: ["local"] }) { id } }',
    );
    expect(again.errors).toBeUndefined();
  });

  // A shared DATABASE_URL server cannot be stopped by a test; a throwaway one can.
  it.runIf(!process.env['DATABASE_URL'])(
    'fails with STORE_UNAVAILABLE while PostgreSQL is down, says so on /readyz, and recovers by itself',
    async () => {
      const api = cluster.nodes[0]!;
      await cluster.postgres.stop();
      const refused = await gql(api.url, '{ jobs(first: 1) { edges { node { id } } } }');
      expect(errorCode(refused)).toBe('STORE_UNAVAILABLE');
      const ready = await fetch(`${api.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable', code: 'STORE_UNAVAILABLE' });
      await cluster.postgres.start();
      await waitForOk(api.url, '/readyz');
      const again = await gql(api.url, '{ jobs(first: 1) { edges { node { id } } } }');
      expect(again.errors).toBeUndefined();
    },
  );
});
