import { createClient as createWsClient } from 'graphql-ws';
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from 'urql';
import { authHeaders } from '../auth/api-key';

/**
 * The page's one GraphQL client: queries and mutations over HTTP, subscriptions over graphql-ws on the
 * same path, both carrying the API key. Same origin, so nothing leaves the machine that serves the page.
 */
export function createApiClient(origin: string = window.location.origin): Client {
  const ws = createWsClient({
    url: `${origin.replace(/^http/, 'ws')}/graphql`,
    connectionParams: () => authHeaders(),
    lazy: true,
  });
  return new Client({
    url: `${origin}/graphql`,
    // Read for every request, so a key entered on the page takes effect at once.
    fetchOptions: () => ({ headers: authHeaders() }),
    requestPolicy: 'cache-and-network',
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
          }),
        }),
      }),
    ],
  });
}
