/** How a run left its job: ended (or found it final), or handed it back to wait for another run. */
export type RunOutcome = 'ended' | 'handed-back';

/** Where submitted jobs wait for a node to run them. */
export interface JobQueue {
  /** Puts a job in line. */
  add(jobId: string): Promise<void>;
  /** Starts running queued jobs with `run`, a few at once (WORKER_CONCURRENCY). */
  process(run: (jobId: string) => Promise<RunOutcome>): void;
  /** Resolves while the queue can take jobs; readiness asks this. */
  ping(): Promise<void>;
  /** Stops taking jobs; resolves when the ones running have returned. */
  close(): Promise<void>;
}

export const JOB_QUEUE = Symbol('JOB_QUEUE');

/** The queue of the embedded mode: in memory, the jobs table being what survives a restart. */
export class InProcessJobQueue implements JobQueue {
  private readonly waiting: string[] = [];
  private readonly running = new Set<Promise<unknown>>();
  // A job handed back stays QUEUED in the table, which the next start reads.
  private run: ((jobId: string) => Promise<RunOutcome>) | null = null;
  private closed = false;

  constructor(private readonly concurrency: number) {}

  async add(jobId: string): Promise<void> {
    this.waiting.push(jobId);
    this.pump();
  }

  process(run: (jobId: string) => Promise<RunOutcome>): void {
    this.run = run;
    this.pump();
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.running);
  }

  private pump(): void {
    while (this.run && !this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const running: Promise<unknown> = this.run(this.waiting.shift()!)
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(running);
          this.pump();
        });
      this.running.add(running);
    }
  }
}
