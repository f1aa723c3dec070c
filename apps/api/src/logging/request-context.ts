import { AsyncLocalStorage } from 'node:async_hooks';

/** What every log line a piece of work causes should name. */
export interface RequestContext {
  /** The HTTP request's id, or for a job the id of the request that submitted it. */
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * The request (or job) the current code works for, carried across awaits by AsyncLocalStorage so it
 * need not be passed down by hand. A job worker keeps its submitter's id with
 * `requestContext.run({ requestId: job.data.requestId }, () => work())`.
 */
export const requestContext = {
  run<T>(context: RequestContext, work: () => T): T {
    return storage.run(context, work);
  },
  get(): RequestContext | undefined {
    return storage.getStore();
  },
  /** Runs `work` outside any request: for shared work (a model batch) that serves many. */
  detached<T>(work: () => T): T {
    return storage.exit(work);
  },
};
