import { useCallback, useRef, useState } from 'react';
import {
  type AnyVariables,
  createRequest,
  makeOperation,
  type Operation,
  type TypedDocumentNode,
  useClient,
} from 'urql';
import { errorText } from './errors';

export type RunStatus = 'idle' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Run<Data, Variables> {
  status: RunStatus;
  data: Data | null;
  error: string | null;
  start(variables: Variables): void;
  cancel(): void;
}

/**
 * One long mutation at a time (moderate, score captions), cancellable: cancel tears the operation down,
 * which aborts its request, and the server stops the work when the client goes away. (urql never tears a
 * mutation down by itself, so this hook does.)
 */
export function useRun<Data, Variables extends AnyVariables>(
  document: TypedDocumentNode<Data, Variables>,
): Run<Data, Variables> {
  const client = useClient();
  const [status, setStatus] = useState<RunStatus>('idle');
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const running = useRef<Operation<Data, Variables> | null>(null);

  const cancel = useCallback(() => {
    const operation = running.current;
    running.current = null;
    if (operation) client.reexecuteOperation(makeOperation('teardown', operation, operation.context));
    setStatus('cancelled');
  }, [client]);

  const start = useCallback(
    (variables: Variables) => {
      if (running.current) cancel();
      const operation = client.createRequestOperation('mutation', createRequest(document, variables));
      running.current = operation;
      setStatus('running');
      setError(null);
      void client
        .executeRequestOperation(operation)
        .toPromise()
        .then((response) => {
          if (running.current !== operation) return;
          running.current = null;
          if (response.data) {
            setData(response.data);
            setStatus('succeeded');
          } else {
            setError(response.error ? errorText(response.error) : 'the server sent no result');
            setStatus('failed');
          }
        });
    },
    [client, document, cancel],
  );

  return { status, data, error, start, cancel };
}
