import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client of the app at `url` (http://…), as a browser page would open one. */
export function wsClient(url: string, connectionParams: Record<string, string> = {}): Client {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects every event until the server completes the subscription. */
export function collect<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  onEvent: (data: T) => void = () => undefined,
): Promise<T[]> {
  const events: T[] = [];
  return new Promise((resolve, reject) => {
    client.subscribe<T>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors) return reject(new Error(JSON.stringify(result.errors)));
          events.push(result.data!);
          onEvent(result.data!);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(events),
      },
    );
  });
}
