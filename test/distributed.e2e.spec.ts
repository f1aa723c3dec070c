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

/** Calls the fake OpenAI upstream has had for images so far. */
const generationCalls = (): number => cluster.openai.requests.filter((r) => r.path === GENERATIONS).length;

/** The job once it is final, as `api` answers it. */
const finalJob = (api: RunningApp, id: string): Promise<JobView> =>
  until(
    async () => {
      const job = await cluster.job(api, id);
      return job.state === 'QUEUED' || job.state === 'RUNNING' ? null : job;
    },
    WAIT_MS,
    100,
  );

/** The ids of every stored asset (fewer than a page here), and how many the store counts. */
async function storedAssets(api: RunningApp): Promise<{ ids: Set<string>; totalCount: number }> {
  const answer = await gql<{ assets: { totalCount: number; edges: { node: { id: string } }[] } }>(
    api.url,
    '{ assets(first: 100) { totalCount edges { node { id } } } }',
  );
  const { totalCount, edges } = answer.data!.assets;
  return { ids: new Set(edges.map((e) => e.node.id)), totalCount };
}

async function listedJobIds(api: RunningApp): Promise<string[]> {
  const listed = await gql<{ jobs: { edges: { node: { id: string } }[] } }>(
    api.url,
    '{ jobs(first: 100) { edges { node { id } } } }',
  );
  return listed.data!.jobs.edges.map((e) => e.node.id);
}

const assetIdsOf = (jobs: JobView[]): Set<string> =>
  new Set(jobs.flatMap((j) => j.generation!.candidates.map((c) => c.asset.id)));

/** One slow-enough job: the fake upstream's answer (delayed as scripted) and the procedural one. */
const slowInput = (prompt: string): Record<string, unknown> => ({
  prompt,
  count: 1,
  generators: ['oai', 'local'],
  width: 256,
  height: 256,
});

const SUBSCRIPTION = `subscription($id: ID!) { jobUpdated(id: $id) { ${JOB_FIELDS} } }`;

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
      await submit(api1, slowInput('a red circle')),
      await submit(api1, slowInput('a blue square')),
    ];
    await until(async () => generationCalls() >= 2, WAIT_MS, 100);
    const client = wsClient(api2.url);
    const watched = collect<{ jobUpdated: JobView }>(client, SUBSCRIPTION, { id: slow[0] });
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
    const finals = await Promise.all(ids.map((id) => finalJob(api2, id)));
    expect(finals.map((j) => j.state)).toEqual(ids.map(() => 'SUCCEEDED'));
    expect(finals.slice(0, 2).map((j) => j.attempts)).toEqual([2, 2]); // taken up by worker 2
    const events = (await watched).map((e) => e.jobUpdated);
    await client.dispose();
    // What the subscriber saw: the job started over (attempt 2, from the first stage) on worker 2, then ended.
    expect(events.some((e) => e.state === 'RUNNING' && e.attempts === 2)).toBe(true);
    expect(events.at(-1)).toMatchObject({ id: slow[0], state: 'SUCCEEDED' });

    // Every asset once in the shared store, served by both API nodes.
    const assetIds = new Set([
      ...assetIdsOf(finals),
      ...sync.data!.generate.candidates.map((c) => c.asset.id),
    ]);
    expect((await storedAssets(api1)).totalCount).toBe(assetIds.size);
    for (const api of [api1, api2]) {
      for (const id of assetIds) expect((await fetch(`${api.url}/assets/${id}`)).status).toBe(200);
    }
    const listedIds = await listedJobIds(api1);
    expect(new Set(listedIds).size).toBe(listedIds.length);
    expect(listedIds).toHaveLength(ids.length + 1);
    expect(worker2.process.exitCode).toBeNull();
  });

  it('lets a worker on SIGTERM finish one job and hand the other back, then exit 0; each job succeeds once', async () => {
    const api = await cluster.someNode('api');
    // Only the worker started here holds jobs: an idle worker on SIGTERM just exits 0.
    for (const idle of cluster.running('worker')) expect(await idle.stop('SIGTERM')).toBe(0);
    // It hands back what still runs 10 s after the signal: the first upstream call answers after 4 s, the second never in time.
    const worker = await cluster.node('worker', {
      SHUTDOWN_GRACE_MS: '15000',
      SHUTDOWN_HAND_BACK_MS: '5000',
    });
    const [assetsBefore, callsBefore] = [await storedAssets(api), generationCalls()];
    cluster.openai.fail(GENERATIONS, { delayMs: 4000 }, 1);
    const finishing = await cluster.submitGenerate(api, slowInput('a purple triangle'));
    await until(async () => generationCalls() > callsBefore, WAIT_MS, 100);
    cluster.openai.fail(GENERATIONS, { delayMs: 600_000 }, 1);
    const handedBack = await cluster.submitGenerate(api, slowInput('an orange ring'));
    await until(async () => generationCalls() > callsBefore + 1, WAIT_MS, 100);
    const client = wsClient(api.url);
    const watched = collect<{ jobUpdated: JobView }>(client, SUBSCRIPTION, { id: handedBack });
    expect((await cluster.job(api, finishing)).state).toBe('RUNNING');

    const exit = worker.stop('SIGTERM');
    const taker = await cluster.node('worker');
    expect(await exit).toBe(0);
    const handedBackLogs = worker.logs.filter((l) => l['msg'] === 'handing the job back to the queue');
    expect(handedBackLogs.map((l) => l['job'])).toEqual([handedBack]);

    const finals = [await finalJob(api, finishing), await finalJob(api, handedBack)];
    expect(finals.map((j) => [j.state, j.attempts])).toEqual([
      ['SUCCEEDED', 1], // finished by the worker while it shut down
      ['SUCCEEDED', 2], // handed back, then run by the other worker
    ]);
    // What a subscriber saw: the job went back to QUEUED, ran again, and ended.
    const states = (await watched).map((e) => e.jobUpdated.state);
    await client.dispose();
    expect(states.filter((state, i) => state !== states[i - 1])).toEqual([
      'RUNNING',
      'QUEUED',
      'RUNNING',
      'SUCCEEDED',
    ]);
    // One upstream call per run, nothing run twice, no asset or job row twice.
    expect(generationCalls()).toBe(callsBefore + 3);
    // (The fake upstream cycles a few images, so some of the results may have been stored before.)
    const assetsAfter = await storedAssets(api);
    expect(assetsAfter.ids).toEqual(new Set([...assetsBefore.ids, ...assetIdsOf(finals)]));
    expect(assetsAfter.totalCount).toBe(assetsAfter.ids.size);
    const listedIds = await listedJobIds(api);
    expect(listedIds.filter((id) => id === finishing || id === handedBack)).toHaveLength(2);
    expect(new Set(listedIds).size).toBe(listedIds.length);
    expect(taker.process.exitCode).toBeNull();
  });

  it('ends the connection of a subscriber whose API node is SIGKILLed; the job completes and another node has it', async () => {
    const api = await cluster.someNode('api');
    await cluster.someNode('worker'); // runs the job
    const doomed = await cluster.node('api');
    const callsBefore = generationCalls();
    cluster.openai.fail(GENERATIONS, { delayMs: 4000 }, 1);
    // Submitted through the node that dies: the job lives in Redis and PostgreSQL, not in the node.
    const id = await cluster.submitGenerate(doomed, slowInput('a grey hexagon'));
    await until(async () => generationCalls() > callsBefore, WAIT_MS, 100);
    const client = wsClient(doomed.url);
    const closed = new Promise<{ code: number; reason: string; wasClean: boolean }>((resolve) =>
      client.on('closed', (event) => resolve(event as { code: number; reason: string; wasClean: boolean })),
    );
    const events: JobView[] = [];
    const watched = collect<{ jobUpdated: JobView }>(client, SUBSCRIPTION, { id }, (e) =>
      events.push(e.jobUpdated),
    ).then(
      () => 'completed',
      () => 'errored',
    );
    await until(async () => events.length > 0, WAIT_MS, 50);
    await doomed.stop('SIGKILL');

    // What the client saw: the socket closed without a close frame (1006), and the subscription errored.
    const event = await closed;
    expect([event.code, event.wasClean]).toEqual([1006, false]);
    expect(await watched).toBe('errored');
    await client.dispose();
    expect(events.at(-1)!.state).toBe('RUNNING'); // not its end

    const final = await finalJob(api, id);
    expect(final).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
    expect(final.generation!.candidates.length).toBeGreaterThan(0);
    // A client that subscribes again, on another node, gets the final job at once.
    const again = wsClient(api.url);
    const resubscribed = await collect<{ jobUpdated: JobView }>(again, SUBSCRIPTION, { id });
    await again.dispose();
    expect(resubscribed.map((e) => e.jobUpdated)).toEqual([final]);
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
