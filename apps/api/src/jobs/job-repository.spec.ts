import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS, testDatabase } from '../assets/test-support/fixtures.js';
import { JobRepository } from './job-repository.js';

describe.each(DATABASE_KINDS)('JobRepository on %s', (kind) => {
  const repository = async () => new JobRepository(await testDatabase(kind));
  const job = (owner = 'alice') => ({
    id: randomUUID(),
    kind: 'generate' as const,
    owner,
    requestId: 'r1',
    input: { prompt: 'a fox', seed: 2 ** 40 },
  });

  it('moves a job QUEUED → RUNNING → final once; a second ending or a late start changes nothing', async () => {
    const jobs = await repository();
    const queued = await jobs.insert(job());
    expect(queued).toMatchObject({
      state: 'QUEUED',
      attempts: 0,
      cancelRequested: false,
      input: { prompt: 'a fox', seed: 2 ** 40 },
      progress: { stage: 'queued', done: 0, total: 1 },
      result: null,
      error: null,
      finishedAt: null,
    });
    const running = (await jobs.start(queued.id))!;
    expect(running).toMatchObject({ state: 'RUNNING', attempts: 1, startedAt: expect.any(String) });
    expect(await jobs.progress(queued.id, { stage: 'generating', done: 1, total: 3 })).toMatchObject({
      progress: { stage: 'generating', done: 1, total: 3 },
    });
    const done = await jobs.finish(queued.id, { state: 'SUCCEEDED', result: { candidates: [1, 2] } });
    expect(done).toMatchObject({
      state: 'SUCCEEDED',
      result: { candidates: [1, 2] },
      finishedAt: expect.any(String),
    });
    expect(
      await jobs.finish(queued.id, { state: 'FAILED', error: { code: 'X', message: 'late' } }),
    ).toBeNull();
    expect(await jobs.start(queued.id)).toBeNull();
    expect(await jobs.progress(queued.id, { stage: 'late', done: 0, total: 1 })).toBeNull();
    expect(await jobs.requeue(queued.id)).toBeNull();
    expect(await jobs.get(queued.id)).toEqual(done);
  });

  it('takes a job up again after its run died, counting the attempt, and hands one back', async () => {
    const jobs = await repository();
    const { id } = await jobs.insert(job());
    await jobs.start(id);
    expect(await jobs.start(id)).toMatchObject({ state: 'RUNNING', attempts: 2 });
    expect(await jobs.requeue(id)).toMatchObject({ state: 'QUEUED', attempts: 2 });
    expect((await jobs.unfinished()).map((j) => j.id)).toEqual([id]);
  });

  it('flags a cancel on a job that is not final', async () => {
    const jobs = await repository();
    const { id } = await jobs.insert(job());
    await jobs.requestCancel(id);
    expect(await jobs.get(id)).toMatchObject({ cancelRequested: true, state: 'QUEUED' });
  });

  it('counts active jobs per owner, lists an owner’s newest first by state, and forgets expired ones', async () => {
    const jobs = await repository();
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await jobs.insert(job(i < 4 ? 'alice' : 'bob'))).id);
    await jobs.start(ids[0]!);
    await jobs.finish(ids[1]!, { state: 'CANCELLED', error: { code: 'CANCELLED', message: 'c' } });
    expect(await jobs.countActive('alice')).toEqual({ total: 4, owner: 3 });
    expect(await jobs.countActive('carol')).toEqual({ total: 4, owner: 0 });

    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await jobs.list({ owner: 'alice', first: 3, after, state: null });
      seen.push(...page.items.map((j) => j.id));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(new Set(seen)).toEqual(new Set(ids.slice(0, 4)));
    expect(seen).toHaveLength(4);
    const cancelled = await jobs.list({ owner: 'alice', first: 10, after: null, state: 'CANCELLED' });
    expect(cancelled.items.map((j) => j.id)).toEqual([ids[1]]);
    await expect(jobs.list({ owner: 'alice', first: 0, after: null, state: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
    await expect(jobs.list({ owner: 'alice', first: 5, after: 'junk', state: null })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });

    expect(await jobs.deleteFinishedBefore(new Date(Date.now() - 60_000))).toBe(0);
    expect(await jobs.deleteFinishedBefore(new Date(Date.now() + 1000))).toBe(1);
    expect(await jobs.get(ids[1]!)).toBeNull();
    expect(await jobs.get('not-a-job-id')).toBeNull();
  });
});
