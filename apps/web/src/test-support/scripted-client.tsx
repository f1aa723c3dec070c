import type { DocumentNode } from 'graphql';
import { render, type RenderResult } from '@testing-library/react';
import {
  cacheExchange,
  Client,
  type ExecutionResult,
  type Exchange,
  getOperationName,
  makeResult,
  type Operation,
  Provider,
} from 'urql';
import { filter, fromAsyncIterable, fromPromise, map, mergeMap, onPush, pipe, share, takeUntil } from 'wonka';

/** An operation as the component sent it: its name, its variables, and whether it was torn down since. */
export interface SentOperation {
  name: string;
  variables: Record<string, unknown>;
  cancelled: boolean;
}

/**
 * A real urql client whose transport is a script: `answer` gets each operation and resolves to what the
 * server would send. Components run exactly as in the page; only the network is replaced.
 */
export function scriptedClient(
  answer: (operation: SentOperation) => Promise<ExecutionResult> | AsyncIterable<ExecutionResult>,
): {
  client: Client;
  sent: SentOperation[];
} {
  const sent: SentOperation[] = [];
  const transport: Exchange = () => (operations$) => {
    const shared$ = pipe(operations$, share);
    return pipe(
      shared$,
      filter((op) => op.kind !== 'teardown'),
      mergeMap((op: Operation) => {
        const entry: SentOperation = {
          name: getOperationName(op.query as DocumentNode) ?? '',
          variables: op.variables as Record<string, unknown>,
          cancelled: false,
        };
        sent.push(entry);
        const torndown$ = pipe(
          shared$,
          filter((t) => t.kind === 'teardown' && t.key === op.key),
          onPush(() => (entry.cancelled = true)),
        );
        const answered = answer(entry);
        return pipe(
          Symbol.asyncIterator in answered ? fromAsyncIterable(answered) : fromPromise(answered),
          map((result) => makeResult(op, result)),
          takeUntil(torndown$),
        );
      }),
    );
  };
  // The page's own cache and request policy in front, so operations are sent as often as they would be there.
  return {
    client: new Client({
      url: 'http://studio.test/graphql',
      requestPolicy: 'cache-and-network',
      exchanges: [cacheExchange, transport],
    }),
    sent,
  };
}

/** Renders `ui` under the scripted client. */
export function renderWith(client: Client, ui: React.ReactElement): RenderResult {
  return render(<Provider value={client}>{ui}</Provider>);
}

/** A promise the test resolves when it chooses: to look at the page while a request is in flight. */
export function deferred<T>(): { promise: Promise<T>; resolve(value: T): void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** Results a test pushes one by one, as a server sends a subscription's events. */
export function channel<T>(): AsyncIterable<T> & { push(value: T): void; end(): void } {
  const queued: T[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  return {
    push(value) {
      queued.push(value);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queued.length > 0) yield queued.shift()!;
        else if (ended) return;
        else await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
