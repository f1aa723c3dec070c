import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerationRequest } from '#generators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hangs, OPEN_CAPABILITIES, ScriptedGenerator } from '#generators/test-support';
import { toApiError } from '../errors/api-error.js';
import type { GenerationResult } from '../generation/generation.types.js';
import { EditMode } from '../edits/edit.types.js';
import { requestContext } from '../logging/request-context.js';
import { sceneBytes, type ServiceApp, serviceApp } from '../test-support/service-app.js';
import type { JobRecord, JobSubmitter } from './job-record.js';
import { JobRepository } from './job-repository.js';
import { JobService } from './job.service.js';

/** Draws the prompt's scene, one seed per candidate, one image per call. */
const scenes = new ScriptedGenerator(
  'scenes',
  async (request: GenerationRequest) => [
    {
      bytes: await sceneBytes(request.prompt, request.seed ?? 0, 96),
      mimeType: 'image/png',
      seed: request.seed ?? 0,
      parameters: {},
      model: 'scenes-1',
    },
  ],
  { ...OPEN_CAPABILITIES, maxImagesPerCall: 1 },
);
const stuck = new ScriptedGenerator('stuck', hangs());
/** Which request the generator's call was made for, as its log lines would name it. */
const callersSeen: (string | undefined)[] = [];
const witness = new ScriptedGenerator(
  'witness',
  async (request: GenerationRequest, signal) => {
    callersSeen.push(requestContext.get()?.requestId);
    return scenes.generate(request, { signal });
  },
  { ...OPEN_CAPABILITIES, maxImagesPerCall: 1 },
);

const alice: JobSubmitter = { owner: 'alice', requestId: 'req-1' };
const bob: JobSubmitter = { owner: 'bob', requestId: null };
const signal = new AbortController().signal;

/** Every state of a job from now until it is final. */
async function follow(jobs: JobService, id: string): Promise<JobRecord[]> {
  const seen: JobRecord[] = [];
  for await (const job of jobs.watch(id, signal)) seen.push(job);
  return seen;
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('JobService', () => {
  let app: ServiceApp;
  let jobs: JobService;
  beforeAll(async () => {
    app = await serviceApp({ generators: [scenes, stuck, witness] });
    jobs = app.context.get(JobService);
  });
  afterAll(() => app?.close());

  it('runs a job in the context of the request that submitted it, so its log lines name that request', async () => {
    const job = await jobs.submit(
      'generate',
      { prompt: 'a red circle', count: 1, generators: ['witness'] },
      alice,
      signal,
    );
    expect((await follow(jobs, job.id)).at(-1)!.state).toBe('SUCCEEDED');
    expect(callersSeen).toEqual(['req-1']);
  });

  it('runs a generate job, reporting each generator call, candidate scored and asset stored', async () => {
    const job = await jobs.submit(
      'generate',
      { prompt: 'a red circle on a white background', count: 3, generators: ['scenes'] },
      alice,
      signal,
    );
    expect(job).toMatchObject({ state: 'QUEUED', owner: 'alice', requestId: 'req-1', attempts: 0 });
    expect((job.input as { seed: number }).seed).toEqual(expect.any(Number)); // fixed for reruns
    const seen = await follow(jobs, job.id);
    const last = seen.at(-1)!;
    expect(last.state).toBe('SUCCEEDED');
    const result = last.result as GenerationResult;
    expect(result.candidates).toHaveLength(3);
    // The watch starts while the job is queued or running: every stage after that is seen, in order.
    const stages = seen.filter((j) => j.state === 'RUNNING').map((j) => j.progress);
    const order = [...new Set(stages.map((p) => p.stage))];
    expect(order.slice(-3)).toEqual(['generating', 'scoring', 'storing']);
    expect(stages.filter((p) => p.stage === 'storing').map((p) => p.done)).toEqual([1, 2, 3]);
    expect(stages.filter((p) => p.stage === 'scoring').at(-1)).toEqual({
      stage: 'scoring',
      done: 3,
      total: 3,
    });
    expect(await jobs.get(job.id)).toEqual(last); // a poller sees what the subscriber saw
  });

  it('runs an edit job, reporting the evaluations it spent of its budget', async () => {
    const image = (await sceneBytes('a red circle on a white background')).toString('base64');
    const job = await jobs.submit(
      'edit',
      {
        image: { base64: image },
        instruction: 'black and white',
        mode: EditMode.OPERATORS,
        budget: 16,
      },
      alice,
      signal,
    );
    // The image became an asset, so the stored input holds an id, not megabytes.
    expect((job.input as { image: object }).image).toEqual({
      assetId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const seen = await follow(jobs, job.id);
    const spent = seen.filter((j) => j.progress.stage === 'evaluating').map((j) => j.progress);
    expect(spent.length).toBeGreaterThan(2);
    expect(spent.every((p) => p.total === 16 && p.done <= 16)).toBe(true);
    expect(spent.map((p) => p.done)).toEqual([...spent.map((p) => p.done)].sort((a, b) => a - b));
    expect(seen.at(-1)).toMatchObject({ state: 'SUCCEEDED', result: { mode: 'OPERATORS' } });
  });

  it('refuses a bad request before it is queued', async () => {
    const error = await jobs.submit('generate', { prompt: '  ' }, alice, signal).catch((e: unknown) => e);
    expect(toApiError(error).code).toBe('BAD_REQUEST');
    expect((await jobs.list('alice', { first: 100, after: null, state: 'FAILED' })).items).toEqual([]);
  });

  it('answers the synchronous call from the same job, and lists it', async () => {
    const result = (await jobs.run(
      'generate',
      { prompt: 'a blue square on a white background', count: 1, generators: ['scenes'], seed: 4 },
      bob,
      signal,
    )) as GenerationResult;
    expect(result.candidates).toHaveLength(1);
    const listed = await jobs.list('bob', { first: 10, after: null, state: null });
    expect(listed.items[0]).toMatchObject({ kind: 'generate', state: 'SUCCEEDED', result });
  });

  it('cancels a running job: its generator call is aborted and the job says what it kept', async () => {
    const before = stuck.aborted;
    const job = await jobs.submit(
      'generate',
      { prompt: 'x', count: 1, generators: ['stuck'] },
      alice,
      signal,
    );
    const watching = follow(jobs, job.id);
    await until(async () => (await jobs.get(job.id))!.progress.stage === 'generating');
    await jobs.cancel(job.id);
    const last = (await watching).at(-1)!;
    expect(last).toMatchObject({
      state: 'CANCELLED',
      error: { code: 'CANCELLED', message: 'cancelled: it had stored nothing' },
    });
    expect(stuck.aborted).toBe(before + 1);
    expect(await jobs.cancel(job.id)).toEqual(last); // a final job stays as it is
  });

  it('cancels the synchronous call’s job when its client goes away', async () => {
    const leave = new AbortController();
    const call = jobs.run('generate', { prompt: 'x', count: 1, generators: ['stuck'] }, bob, leave.signal);
    await until(
      async () => (await jobs.list('bob', { first: 1, after: null, state: 'RUNNING' })).items.length === 1,
    );
    leave.abort();
    expect(toApiError(await call.catch((e: unknown) => e)).code).toBe('CANCELLED');
  });
});

describe('JobService limits', () => {
  let app: ServiceApp;
  let jobs: JobService;
  beforeAll(async () => {
    app = await serviceApp({
      generators: [scenes, stuck],
      env: {
        WORKER_CONCURRENCY: '1',
        MAX_QUEUED_JOBS_PER_KEY: '2',
        MAX_QUEUED_JOBS: '3',
        JOB_TIMEOUT_SECONDS: '2',
      },
    });
    jobs = app.context.get(JobService);
  });
  afterAll(() => app?.close());

  const hanging = { prompt: 'x', count: 1, generators: ['stuck'] };

  it('holds jobs per API key and in total to MAX_QUEUED_JOBS(_PER_KEY), cancels a queued one at once, and times out', async () => {
    const running = await jobs.submit('generate', hanging, alice, signal);
    const queued = await jobs.submit('generate', hanging, alice, signal);
    const full = await jobs.submit('generate', hanging, alice, signal).catch((e: unknown) => e);
    expect(toApiError(full)).toMatchObject({
      code: 'QUEUE_FULL',
      message: expect.stringContaining('MAX_QUEUED_JOBS_PER_KEY'),
    });
    const bobs = await jobs.submit('generate', hanging, bob, signal);
    const total = await jobs.submit('generate', hanging, bob, signal).catch((e: unknown) => e);
    expect(toApiError(total)).toMatchObject({
      code: 'QUEUE_FULL',
      message: expect.stringContaining('(MAX_QUEUED_JOBS)'),
    });

    expect(await jobs.cancel(queued.id)).toMatchObject({
      state: 'CANCELLED',
      error: { message: 'cancelled before it started' },
    });
    await jobs.cancel(bobs.id);
    const timedOut = (await follow(jobs, running.id)).at(-1)!;
    expect(timedOut).toMatchObject({
      state: 'FAILED',
      error: { code: 'TIMEOUT', message: expect.stringContaining('JOB_TIMEOUT_SECONDS') },
    });
  });
});

describe('JobService after a restart', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-jobs-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps results, runs queued jobs, retries an interrupted one and fails one out of attempts', async () => {
    const input = {
      prompt: 'a green square on a white background',
      count: 1,
      generators: ['scenes'],
      seed: 9,
    };
    const first = await serviceApp({ generators: [scenes], dataDir });
    const jobs = first.context.get(JobService);
    const done = (await follow(jobs, (await jobs.submit('generate', input, alice, signal)).id)).at(-1)!;
    // Rows as a process that died would have left them: one queued, two running.
    const rows = first.context.get(JobRepository);
    const row = (id: string) => rows.insert({ id, kind: 'generate', owner: 'alice', requestId: null, input });
    const queued = await row('00000000-0000-4000-8000-000000000001');
    const retried = await row('00000000-0000-4000-8000-000000000002');
    const exhausted = await row('00000000-0000-4000-8000-000000000003');
    await rows.start(retried.id);
    await rows.start(exhausted.id);
    await rows.start(exhausted.id); // its second attempt
    await first.close();

    const second = await serviceApp({ generators: [scenes], dataDir, env: { JOB_ATTEMPTS: '2' } });
    try {
      const again = second.context.get(JobService);
      expect(await again.get(done.id)).toEqual(done);
      const [q, r] = await Promise.all([follow(again, queued.id), follow(again, retried.id)]);
      expect(q.at(-1)).toMatchObject({ state: 'SUCCEEDED', attempts: 1 });
      expect(r.at(-1)).toMatchObject({ state: 'SUCCEEDED', attempts: 2 });
      // The same seed made the same candidate: stored once, whichever run stored it.
      expect((r.at(-1)!.result as GenerationResult).candidates[0]!.asset.id).toBe(
        (done.result as GenerationResult).candidates[0]!.asset.id,
      );
      expect(await again.get(exhausted.id)).toMatchObject({
        state: 'FAILED',
        error: { code: 'INTERRUPTED', message: expect.stringContaining('attempt 2 of 2 (JOB_ATTEMPTS)') },
      });
    } finally {
      await second.close();
    }
  });
});
