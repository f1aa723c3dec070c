import { randomUUID } from 'node:crypto';
import { type EventEmitter, once } from 'node:events';
import { Logger } from '@nestjs/common';
import { type Job, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { ApiError, type ApiErrorCode, toApiError } from '../errors/api-error.js';
import { requestContext } from '../logging/request-context.js';

const QUEUE_NAME = 'clipsmith-model-calls';

/** A queued call: its input as JSON, until when its caller waits, and the request it serves (for the logs). */
interface QueuedCall {
  input: unknown;
  /** Epoch milliseconds; a worker that takes the call later drops it, since nobody waits for it. */
  deadline: number;
  requestId: string | null;
}

/** A worker's answer: the handler's value, or the code and message of what it threw. */
type Answer = { value: unknown } | { error: { code: ApiErrorCode; message: string } };

/** Runs one call where the model is. */
export type RunModelCall = (kind: string, input: unknown, signal: AbortSignal) => Promise<unknown>;

/** How a node tells the others to stop a call (the jobs' cancel channel carries it). */
export interface CancelBus {
  requestCancel(id: string): Promise<void>;
  onCancel(handler: (id: string) => void): () => void;
}

export interface BullModelCallQueueOptions {
  redisUrl: string;
  /** How long a caller waits for an answer (MODEL_CALL_TIMEOUT_MS). */
  timeoutMs: number;
  /** Calls one serving node runs at once (MODEL_CALL_CONCURRENCY). */
  concurrency: number;
  cancels: CancelBus;
}

/**
 * The model calls of distributed mode: a BullMQ queue of its own beside the jobs', nothing in the jobs
 * table (a call is quick and nobody asks for it later). An `api` node adds a call and waits for its
 * answer on the queue's event stream; nodes with the model take calls, a few at once. A call ends with
 * the worker's answer (its coded error included), QUEUE_UNAVAILABLE at once while Redis is down,
 * WORKER_TIMEOUT when no worker answers in time, or CANCELLED when the client leaves; the last two
 * remove the call if it still waits, else cancel it on the worker running it.
 */
export class BullModelCallQueue {
  private readonly logger = new Logger('ModelCalls');
  private readonly producer: Redis;
  private readonly queue: Queue;
  private readonly connections: Redis[] = [];
  private events: Promise<QueueEvents> | null = null;
  private worker: Worker | null = null;
  private stopCancels: (() => void) | null = null;
  private closed = false;

  constructor(private readonly options: BullModelCallQueueOptions) {
    // No offline queue: a call while Redis is down fails at once instead of waiting for it.
    this.producer = new Redis(options.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.producer.on('error', () => undefined);
    this.queue = new Queue(QUEUE_NAME, { connection: this.producer });
    this.queue.on('error', () => undefined);
  }

  /** Queues a call and waits for a worker's answer: its value, or its error thrown as the same ApiError. */
  async call(kind: string, input: unknown, signal: AbortSignal): Promise<unknown> {
    if (signal.aborted) throw cancelled();
    const events = await this.listening();
    const id = randomUUID();
    const { timeoutMs } = this.options;
    const timeout = AbortSignal.timeout(timeoutMs);
    const settled = new AbortController();
    // Listened for before the call is added, so an answer however quick is not missed.
    const answer = answerOf(events, id, AbortSignal.any([signal, timeout, settled.signal]));
    answer.catch(() => undefined);
    try {
      const call: QueuedCall = {
        input,
        deadline: Date.now() + timeoutMs,
        requestId: requestContext.get()?.requestId ?? null,
      };
      await this.queue
        .add(kind, call, { jobId: id, removeOnComplete: true, removeOnFail: true })
        .catch((error: unknown) => {
          throw unavailable(error);
        });
      return unwrap(await answer);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      void this.abandon(id);
      if (signal.aborted) throw cancelled();
      throw new ApiError(
        'WORKER_TIMEOUT',
        `no worker answered the ${kind} call within ${timeoutMs} ms (MODEL_CALL_TIMEOUT_MS): ` +
          'start a worker (CLIPSMITH_ROLE=worker), or retry when the running ones are less busy',
      );
    } finally {
      settled.abort();
    }
  }

  /** Takes queued calls and answers each with `run`; a cancel from the caller's node aborts its signal. */
  serve(run: RunModelCall): void {
    if (this.closed) return;
    this.worker = new Worker(QUEUE_NAME, (job: Job<QueuedCall>, _, signal) => this.answer(job, run, signal), {
      connection: this.connection(),
      concurrency: this.options.concurrency,
    });
    this.worker.on('error', () => undefined);
    this.stopCancels = this.options.cancels.onCancel((id) => this.worker?.cancelJob(id));
  }

  /** Lets the calls running here finish, then disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopCancels?.();
    await this.worker?.close();
    await (await this.events?.catch(() => null))?.close();
    await this.queue.close();
    for (const connection of [...this.connections, this.producer]) connection.disconnect();
  }

  private async answer(
    job: Job<QueuedCall>,
    run: RunModelCall,
    cancel?: AbortSignal,
  ): Promise<Answer | null> {
    const { input, deadline, requestId } = job.data;
    const left = deadline - Date.now();
    if (left <= 0) return null; // its caller has stopped waiting
    const signal = AbortSignal.any([AbortSignal.timeout(left), ...(cancel ? [cancel] : [])]);
    const work = () => run(job.name, input, signal);
    try {
      return { value: await (requestId ? requestContext.run({ requestId }, work) : work()) };
    } catch (error) {
      const coded = toApiError(error);
      if (coded.code === 'INTERNAL')
        this.logger.error({
          msg: 'model call failed',
          kind: job.name,
          error: String((error as Error)?.stack ?? error),
        });
      return { error: { code: coded.code, message: coded.message } };
    }
  }

  /** The caller stopped waiting: a call still queued is removed, one running is cancelled where it runs. */
  private async abandon(id: string): Promise<void> {
    const removed = await this.queue.remove(id).catch(() => 0);
    if (removed === 0) await this.options.cancels.requestCancel(id).catch(() => undefined);
  }

  /** The queue's event stream, read from the moment of the first call; Redis down fails it at once. */
  private listening(): Promise<QueueEvents> {
    this.events ??= this.startListening().catch((error: unknown) => {
      this.events = null;
      throw unavailable(error);
    });
    return this.events;
  }

  private async startListening(): Promise<QueueEvents> {
    // A node's first call may come while its connection is still being made; Redis down fails it there.
    if (this.producer.status === 'connecting' || this.producer.status === 'connect')
      await once(this.producer, 'ready');
    // From where the stream ends now, not from its first blocking read: nothing between the two is missed.
    const [last] = await this.producer.xrevrange(this.queue.keys['events']!, '+', '-', 'COUNT', 1);
    const events = new QueueEvents(QUEUE_NAME, {
      connection: this.connection(),
      lastEventId: last?.[0] ?? '0',
    });
    events.on('error', () => undefined);
    return events;
  }

  private connection(): Redis {
    const connection = new Redis(this.options.redisUrl, { maxRetriesPerRequest: null });
    connection.on('error', () => undefined);
    this.connections.push(connection);
    return connection;
  }
}

/** The answer to call `id` as the event stream brings it; rejects with the signal's reason when it aborts first. */
function answerOf(events: EventEmitter, id: string, signal: AbortSignal): Promise<Answer | null> {
  return new Promise((resolve, reject) => {
    const onCompleted = ({ returnvalue }: { returnvalue: Answer | null }): void => {
      stop();
      resolve(returnvalue);
    };
    // Only a worker dying with the call, twice (BullMQ's stalled check), fails it: answers carry errors.
    const onFailed = ({ failedReason }: { failedReason: string }): void => {
      stop();
      reject(new ApiError('INTERRUPTED', `the workers running the call stopped: ${failedReason}`));
    };
    const onAbort = (): void => {
      stop();
      reject(signal.reason);
    };
    const stop = (): void => {
      events.off(`completed:${id}`, onCompleted);
      events.off(`failed:${id}`, onFailed);
      signal.removeEventListener('abort', onAbort);
    };
    events.on(`completed:${id}`, onCompleted);
    events.on(`failed:${id}`, onFailed);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function unwrap(answer: Answer | null): unknown {
  if (answer && 'value' in answer) return answer.value;
  const error = answer?.error ?? { code: 'INTERNAL', message: 'internal error: see the server log' };
  throw new ApiError(error.code, error.message);
}

function unavailable(error: unknown): ApiError {
  return new ApiError(
    'QUEUE_UNAVAILABLE',
    `the model-call queue (Redis) cannot be reached: ${(error as Error).message}`,
    {
      cause: error,
    },
  );
}

function cancelled(): ApiError {
  return new ApiError('CANCELLED', 'the client went away before the answer');
}
