import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeOpenAI } from '#generators/test-support';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';
import { until } from './support/until.js';
import { errorCode, gql } from './support/graphql-client.js';
import { collect, wsClient } from './support/subscription.js';
import { writeGeneratorsConfig } from './support/generators-config.js';

const KEY = 'e2e-jobs-key';
const AUTH = { authorization: `Bearer ${KEY}` };
const OPENAI_KEY = 'sk-e2e-jobs';
const GENERATIONS = '/v1/images/generations';

const JOB_FIELDS = `id kind state attempts progress { stage done total } error { code message }
  generation { candidates { rank generator asset { id url } } errors { generator code } }`;
const SUBMIT = `mutation($input: GenerateInput!) { submitGenerate(input: $input) { ${JOB_FIELDS} } }`;
const WATCH = `subscription($id: ID!) { jobUpdated(id: $id) { ${JOB_FIELDS} } }`;
const JOB = `query($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;

interface JobView {
  id: string;
  state: string;
  attempts: number;
  progress: { stage: string; done: number; total: number };
  error: { code: string; message: string } | null;
  generation: { candidates: { rank: number; generator: string; asset: { id: string } }[] } | null;
}

let openai: FakeUpstream;
let dataDir: string;
let env: Record<string, string>;
let app: RunningApp;

beforeAll(async () => {
  openai = await startFakeOpenAI({ apiKey: OPENAI_KEY });
  dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-jobs-e2e-'));
  const config = await writeGeneratorsConfig(dataDir, openai, OPENAI_KEY);
  env = { DATA_DIR: dataDir, CONFIG_FILE: config, API_KEYS: KEY };
  app = await startApp(env);
  await waitForOk(app.url, '/readyz');
});
afterAll(async () => {
  await app?.stop();
  await openai?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function submit(input: Record<string, unknown>): Promise<JobView> {
  const response = await gql<{ submitGenerate: JobView }>(app.url, SUBMIT, { input }, AUTH);
  expect(response.errors).toBeUndefined();
  return response.data!.submitGenerate;
}

describe('jobs over GraphQL', () => {
  it('streams every stage to a graphql-ws subscriber, and a poller reads the same result', async () => {
    openai.reset();
    // The slow generator holds the job in its first stage while the subscriber connects.
    openai.fail(GENERATIONS, { delayMs: 1500 }, 1);
    const job = await submit({
      prompt: 'a red circle on a blue background',
      count: 2,
      width: 256,
      height: 256,
    });
    expect(job).toMatchObject({ state: 'QUEUED', attempts: 0 });
    const client = wsClient(app.url, AUTH);
    const events = (await collect<{ jobUpdated: JobView }>(client, WATCH, { id: job.id })).map(
      (e) => e.jobUpdated,
    );
    await client.dispose();
    const stages = events.map((e) => `${e.progress.stage} ${e.progress.done}/${e.progress.total}`);
    expect(stages).toContain('generating 1/2');
    expect(stages).toContain('generating 2/2');
    expect(stages).toContain('scoring 4/4');
    expect(stages.indexOf('generating 2/2')).toBeLessThan(stages.indexOf('scoring 4/4'));
    expect(stages.slice(-2)).toEqual(['storing 4/4', 'done 1/1']);
    const last = events.at(-1)!;
    expect(last.state).toBe('SUCCEEDED');
    expect(last.generation!.candidates.map((c) => c.generator).sort()).toEqual([
      'local',
      'local',
      'oai',
      'oai',
    ]);
    const polled = await gql<{ job: JobView }>(app.url, JOB, { id: job.id }, AUTH);
    expect(polled.data!.job).toEqual(last);
  });

  it('refuses a subscription without the API key', async () => {
    const client = wsClient(app.url);
    const refused = await collect(client, WATCH, { id: '00000000-0000-4000-8000-000000000000' }).catch(
      (e: Error) => e.message,
    );
    await client.dispose();
    expect(refused).toContain('UNAUTHENTICATED');
  });

  it('cancels a running job: the generator’s socket closes and the job says it kept nothing', async () => {
    openai.reset();
    openai.fail(GENERATIONS, { delayMs: 60_000 }, 1);
    const job = await submit({
      prompt: 'a green square',
      count: 1,
      generators: ['oai'],
      width: 256,
      height: 256,
    });
    const request = await until(async () => openai.requests.find((r) => r.path === GENERATIONS));
    const cancelled = await gql<{ cancelJob: JobView }>(
      app.url,
      `mutation($id: ID!) { cancelJob(id: $id) { ${JOB_FIELDS} } }`,
      { id: job.id },
      AUTH,
    );
    expect(cancelled.errors).toBeUndefined();
    const closed = await Promise.race([
      request.abandoned.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 5000)),
    ]);
    expect(closed).toBe(true);
    const final = await until(async () => {
      const polled = (await gql<{ job: JobView }>(app.url, JOB, { id: job.id }, AUTH)).data!.job;
      return polled.state === 'RUNNING' ? null : polled;
    });
    expect(final).toMatchObject({
      state: 'CANCELLED',
      error: { code: 'CANCELLED', message: 'cancelled: it had stored nothing' },
      generation: { candidates: [], errors: [{ generator: 'oai', code: 'CANCELLED' }] },
    });
    const missing = await gql(app.url, 'mutation { cancelJob(id: "nope") { id } }', {}, AUTH);
    expect(errorCode(missing)).toBe('NOT_FOUND');
  });

  it('keeps jobs across a restart, and runs again the one its killed process was running', async () => {
    const finished = (
      await gql<{ jobs: { edges: { node: JobView }[] } }>(
        app.url,
        `{ jobs(first: 10, state: SUCCEEDED) { edges { node { ${JOB_FIELDS} } } } }`,
        {},
        AUTH,
      )
    ).data!.jobs.edges.map((e) => e.node);
    expect(finished.length).toBeGreaterThan(0);
    openai.reset();
    openai.fail(GENERATIONS, { delayMs: 60_000 }, 1);
    const job = await submit({
      prompt: 'a blue heart',
      count: 1,
      generators: ['oai'],
      width: 256,
      height: 256,
    });
    await until(async () => openai.requests.find((r) => r.path === GENERATIONS));
    await app.stop('SIGKILL');

    app = await startApp(env);
    await waitForOk(app.url, '/readyz');
    const rerun = await until(async () => {
      const polled = (await gql<{ job: JobView }>(app.url, JOB, { id: job.id }, AUTH)).data!.job;
      return polled.state === 'SUCCEEDED' ? polled : null;
    });
    expect(rerun.attempts).toBe(2);
    expect(rerun.generation!.candidates).toHaveLength(1);
    // Asset URLs are signed per process (API_KEYS are set): the stored result is compared by asset ids.
    const ids = (job: JobView) => job.generation?.candidates.map((c) => c.asset.id);
    for (const before of finished) {
      const after = (await gql<{ job: JobView }>(app.url, JOB, { id: before.id }, AUTH)).data!.job;
      expect({ ...after, generation: ids(after) }).toEqual({ ...before, generation: ids(before) });
    }
  });
});
