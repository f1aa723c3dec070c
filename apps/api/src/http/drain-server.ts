import type { Server } from 'node:http';

/** How often connections that have fallen idle are closed while draining. */
const IDLE_SWEEP_MS = 100;

/**
 * Stops taking connections and resolves once every request in flight has been answered, however long
 * that takes (the caller bounds it: SHUTDOWN_GRACE_MS). Nest's close() would drain too, but through
 * Apollo's drain plugin, which cuts whatever runs past a fixed 10 s. Keep-alive connections close as
 * soon as they fall idle, and a request that still arrives on one is answered with `Connection: close`,
 * so busy clients cannot hold the server open.
 */
export function drainServer(server: Server): Promise<void> {
  server.prependListener('request', (_request, response) => response.setHeader('Connection', 'close'));
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  return new Promise((resolve) =>
    server.close(() => {
      clearInterval(sweep);
      resolve();
    }),
  );
}
