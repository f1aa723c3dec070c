import type { Selectable } from 'kysely';
import { decodeCursor, newestFirstAfter, pageOf } from '../assets/list-cursor.js';
import type { SqlDatabase } from '../database/database.js';
import type { JobsTable } from '../database/tables.js';
import { ApiError } from '../errors/api-error.js';
import {
  type JobFailure,
  type JobKind,
  type JobProgress,
  type JobRecord,
  type JobState,
  QUEUED_PROGRESS,
} from './job-record.js';

export const MAX_JOB_PAGE = 100;
const ACTIVE: JobState[] = ['QUEUED', 'RUNNING'];
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isJobId = (value: unknown): boolean => typeof value === 'string' && JOB_ID.test(value);

export interface JobPage {
  items: JobRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * The `jobs` table. Every change of state is one conditional UPDATE, so two nodes racing over a job
 * (a cancel and a finish, a retried run and a late one) leave it in one consistent state.
 */
export class JobRepository {
  constructor(private readonly database: SqlDatabase) {}

  async insert(job: {
    id: string;
    kind: JobKind;
    owner: string;
    requestId: string | null;
    input: unknown;
  }): Promise<JobRecord> {
    const now = new Date().toISOString();
    await this.database.db
      .insertInto('jobs')
      .values({
        id: job.id,
        kind: job.kind,
        state: 'QUEUED',
        owner: job.owner,
        request_id: job.requestId,
        input: JSON.stringify(job.input),
        ...progressColumns(QUEUED_PROGRESS),
        attempts: 0,
        cancel_requested: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return (await this.get(job.id))!;
  }

  async get(id: string): Promise<JobRecord | null> {
    if (!isJobId(id)) return null;
    const row = await this.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toJob(row) : null;
  }

  /** A page of one owner's jobs, newest first, optionally in one state. */
  async list(args: {
    owner: string;
    first: number;
    after: string | null;
    state: JobState | null;
  }): Promise<JobPage> {
    const { owner, first, after, state } = args;
    if (!Number.isInteger(first) || first < 1 || first > MAX_JOB_PAGE) {
      throw new ApiError('BAD_REQUEST', `first must be an integer from 1 to ${MAX_JOB_PAGE} (got ${first})`);
    }
    const position = after ? decodeCursor(after, isJobId) : null;
    const mine = this.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('owner', '=', owner)
      .$if(state !== null, (q) => q.where('state', '=', state!));
    return pageOf(await newestFirstAfter(mine, position, first).execute(), first, toJob);
  }

  /** Jobs waiting or running, in all and of one owner: what MAX_QUEUED_JOBS limits. */
  async countActive(owner: string): Promise<{ total: number; owner: number }> {
    const rows = await this.database.db
      .selectFrom('jobs')
      .select(['owner', (eb) => eb.fn.countAll<number>().as('count')])
      .where('state', 'in', ACTIVE)
      .groupBy('owner')
      .execute();
    return {
      total: rows.reduce((sum, r) => sum + r.count, 0),
      owner: rows.find((r) => r.owner === owner)?.count ?? 0,
    };
  }

  /** Jobs not yet final, oldest first: what a restarted embedded node takes up again. */
  async unfinished(): Promise<JobRecord[]> {
    const rows = await this.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('state', 'in', ACTIVE)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toJob);
  }

  /**
   * Starts a run: QUEUED (or RUNNING, when the run that held it died) becomes RUNNING with one more
   * attempt. Null when the job is final (cancelled while it waited, say) or unknown.
   */
  async start(id: string): Promise<JobRecord | null> {
    const now = new Date().toISOString();
    const { numUpdatedRows } = await this.database.db
      .updateTable('jobs')
      .set((eb) => ({
        state: 'RUNNING',
        attempts: eb('attempts', '+', 1),
        started_at: now,
        updated_at: now,
        ...progressColumns({ stage: 'starting', done: 0, total: 1 }),
      }))
      .where('id', '=', id)
      .where('state', 'in', ACTIVE)
      .executeTakeFirst();
    return numUpdatedRows > 0n ? this.get(id) : null;
  }

  /** Records progress of a running job; null once it is no longer running. */
  async progress(id: string, progress: JobProgress): Promise<JobRecord | null> {
    const { numUpdatedRows } = await this.database.db
      .updateTable('jobs')
      .set({ ...progressColumns(progress), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('state', '=', 'RUNNING')
      .executeTakeFirst();
    return numUpdatedRows > 0n ? this.get(id) : null;
  }

  /** Ends a job that is not final yet; null when it already was (the first ending wins). */
  async finish(
    id: string,
    ending: { state: JobState; result?: unknown; error?: JobFailure | null; progress?: JobProgress },
  ): Promise<JobRecord | null> {
    const now = new Date().toISOString();
    const { numUpdatedRows } = await this.database.db
      .updateTable('jobs')
      .set({
        state: ending.state,
        result: ending.result === undefined || ending.result === null ? null : JSON.stringify(ending.result),
        error_code: ending.error?.code ?? null,
        error_message: ending.error?.message ?? null,
        ...(ending.progress ? progressColumns(ending.progress) : {}),
        updated_at: now,
        finished_at: now,
      })
      .where('id', '=', id)
      .where('state', 'in', ACTIVE)
      .executeTakeFirst();
    return numUpdatedRows > 0n ? this.get(id) : null;
  }

  /** Puts a running job back in the queue (its node shuts down); null when it was not running. */
  async requeue(id: string): Promise<JobRecord | null> {
    const { numUpdatedRows } = await this.database.db
      .updateTable('jobs')
      .set({ state: 'QUEUED', ...progressColumns(QUEUED_PROGRESS), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('state', '=', 'RUNNING')
      .executeTakeFirst();
    return numUpdatedRows > 0n ? this.get(id) : null;
  }

  /** Marks that a job should stop; the node running it sees the flag or the cancel message. */
  async requestCancel(id: string): Promise<void> {
    await this.database.db
      .updateTable('jobs')
      .set({ cancel_requested: 1, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('state', 'in', ACTIVE)
      .execute();
  }

  /** Forgets final jobs that finished before `before` (JOB_TTL); their assets stay. */
  async deleteFinishedBefore(before: Date): Promise<number> {
    const { numDeletedRows } = await this.database.db
      .deleteFrom('jobs')
      .where('finished_at', '<', before.toISOString())
      .executeTakeFirst();
    return Number(numDeletedRows);
  }
}

function progressColumns(progress: JobProgress): Pick<JobsTable, 'stage' | 'done' | 'total'> {
  return { stage: progress.stage, done: progress.done, total: progress.total };
}

function toJob(row: Selectable<JobsTable>): JobRecord {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    state: row.state as JobState,
    owner: row.owner,
    requestId: row.request_id,
    input: JSON.parse(row.input) as unknown,
    progress: { stage: row.stage, done: row.done, total: row.total },
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    error:
      row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? row.error_code },
    attempts: row.attempts,
    cancelRequested: row.cancel_requested !== 0,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
