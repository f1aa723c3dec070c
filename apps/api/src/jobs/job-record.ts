/** Where a job is in its life; the last three are final. */
export const JOB_STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const FINAL_STATES: ReadonlySet<JobState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** What a job does; each kind is one service call (see JobKinds). */
export type JobKind = 'generate' | 'edit';

/** How far a job has come: `done` of `total` in its current stage. */
export interface JobProgress {
  stage: string;
  done: number;
  total: number;
}

/** Told each step of a job's work. */
export type OnProgress = (progress: JobProgress) => void;

export interface JobFailure {
  code: string;
  message: string;
}

/** One job as stored: its input, where it is, and what it made. */
export interface JobRecord {
  id: string;
  kind: JobKind;
  state: JobState;
  /** Fingerprint of the API key that submitted it ('anonymous' without keys). */
  owner: string;
  /** Id of the request that submitted it, for the logs. */
  requestId: string | null;
  input: unknown;
  progress: JobProgress;
  /** The result; for a cancelled job, what it had stored by then (or null). */
  result: unknown;
  error: JobFailure | null;
  /** Runs started, the current one included. */
  attempts: number;
  cancelRequested: boolean;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Who submits a job. */
export interface JobSubmitter {
  owner: string;
  requestId: string | null;
}

export const QUEUED_PROGRESS: JobProgress = { stage: 'queued', done: 0, total: 1 };

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.has(state);
}

/** Why a job whose runs kept dying failed. */
export function interrupted(attempt: number, attempts: number): JobFailure {
  return {
    code: 'INTERRUPTED',
    message: `the process running it stopped during attempt ${attempt} of ${attempts} (JOB_ATTEMPTS)`,
  };
}
