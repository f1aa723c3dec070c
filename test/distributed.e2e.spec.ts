import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeUpstream, startFakeOpenAI } from '#generators/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testPostgres, testRedis } from '../apps/api/src/test-support/throwaway-servers.js';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';
import { until } from './support/until.js';
import { errorCode, gql } from './support/graphql-client.js';
import { collect, wsClient } from './support/subscription.js';

/** A worker's stalled job is taken up only after JOB_LOCK_SECONDS: waits here are longer. */
const WAIT_MS = 30_000;

const OPENAI_KEY = 'sk-e2e-distributed';
const GENERATIONS = '/v1/images/generations';
const JOB_FIELDS = `id state attempts progress { stage done total } error { code message }
  generation { candidates { asset { id } } }`;

interface JobView {
  id: string;
  state: string;
  attempts: number;
  error: { code: string; message: string } | null;
  generation: { candidates: { asset: { id: string } }[] } | null;
}

let redis: TestServer;
let postgres: TestServer;
let openai: FakeUpstream;
let dataDir: string;
let env: Record<string, string>;
const nodes: RunningApp[] = [];

async function node(role: 'api' | 'worker'): Promise<RunningApp> {
  const app = await startApp({ ...env, CLIPSMITH_ROLE: role });
  nodes.push(app);
  await waitForOk(app.url, '/readyz');
  return app;
}

const job = async (api: RunningApp, id: string) =>
  (await gql<{ job: JobView }>(api.url, `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`, { id })).data!
    .job;

beforeAll(async () => {
  [redis, postgres, openai] = await Promise.all([
    testRedis({ throwaway: true }),
    testPostgres(),
    startFakeOpenAI({ apiKey: OPENAI_KEY }),
  ]);
  dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-distributed-'));
  const config = join(dataDir, 'clipsmith.yaml');
  await writeFile(
    config,
    `generators:
  - { id: local, use: procedural }
  - { id: oai, use: openai-images, options: { baseUrl: ${openai.url}/v1, apiKey: ${OPENAI_KEY}, model: dall-e-2, retries: 0 } }
`,
  );
  env = {
    DATA_DIR: join(dataDir, 'shared'),
    CONFIG_FILE: config,
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    WORKER_CONCURRENCY: '2',
    JOB_LOCK_SECONDS: '2',
    JOB_ATTEMPTS: '3',
  };
}, 60_000);
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
  await Promise.all([redis?.dispose(), postgres?.dispose(), openai?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

describe('distributed mode: two API nodes, two workers, Redis and PostgreSQL', () => {
  it('finishes every job once when a worker is killed mid-job, watched from the other API node', async () => {
    const [api1, api2, worker1] = [await node('api'), await node('api'), await node('worker')];
    expect(api1.process.pid).not.toBe(api2.process.pid);
    expect(await (await fetch(`${api1.url}/readyz`)).json()).toEqual({ status: 'ready', role: 'api' });
    expect((await fetch(`${worker1.url}/graphql`, { method: 'POST' })).status).toBe(404);

    // Two slow jobs that worker 1 takes (it runs two at once), then it dies with them.
    openai.fail(GENERATIONS, { delayMs: 60_000 }, 2);
    const submit = async (api: RunningApp, input: Record<string, unknown>) => {
      const response = await gql<{ submitGenerate: JobView }>(
        api.url,
        `mutation($input: GenerateInput!) { submitGenerate(input: $input) { ${JOB_FIELDS} } }`,
        { input },
      );
      expect(response.errors).toBeUndefined();
      return response.data!.submitGenerate.id;
    };
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
    await until(async () => openai.requests.filter((r) => r.path === GENERATIONS).length >= 2, WAIT_MS, 100);
    const client = wsClient(api2.url);
    const watched = collect<{ jobUpdated: JobView }>(
      client,
      `subscription($id: ID!) { jobUpdated(id: $id) { ${JOB_FIELDS} } }`,
      { id: slow[0] },
    );
    const worker2 = await node('worker');
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
            (await job(api2, id)).state === 'RUNNING' || (await job(api2, id)).state === 'QUEUED'
              ? null
              : job(api2, id),
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
    const api = nodes[0]!; // an API node
    await redis.stop();
    const refused = await gql(
      api.url,
      'mutation { submitGenerate(input: { prompt: "a red circle", count: 1 }) { id } }',
    );
    expect(errorCode(refused)).toBe('QUEUE_UNAVAILABLE');
    const ready = await fetch(`${api.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', code: 'QUEUE_UNAVAILABLE' });
    await redis.start();
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
      const api = nodes[0]!;
      await postgres.stop();
      const refused = await gql(api.url, '{ jobs(first: 1) { edges { node { id } } } }');
      expect(errorCode(refused)).toBe('STORE_UNAVAILABLE');
      const ready = await fetch(`${api.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'unavailable', code: 'STORE_UNAVAILABLE' });
      await postgres.start();
      await waitForOk(api.url, '/readyz');
      const again = await gql(api.url, '{ jobs(first: 1) { edges { node { id } } } }');
      expect(again.errors).toBeUndefined();
    },
  );
});
