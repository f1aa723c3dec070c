import { createServer, request as httpRequest, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drainServer } from './drain-server.js';

let server: Server;
afterEach(() => server?.closeAllConnections());

/** A server whose `/slow` answers after `ms`; resolves with its port. */
async function serve(ms: number): Promise<number> {
  server = createServer((request, response) => {
    if (request.url === '/slow') setTimeout(() => response.end('slow'), ms);
    else response.end('fast');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function get(port: number, path: string, agent: Agent): Promise<{ body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ body, connection: response.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

describe('drainServer', () => {
  it('answers the requests in flight, then resolves, however long they take', async () => {
    const port = await serve(1500);
    const agent = new Agent({ keepAlive: true });
    const slow = get(port, '/slow', agent);
    await new Promise((resolve) => setTimeout(resolve, 100));
    let drained = false;
    const draining = drainServer(server).then(() => (drained = true));
    expect(await slow).toMatchObject({ body: 'slow' });
    await draining;
    expect(drained).toBe(true);
    agent.destroy();
  });

  it('does not let a keep-alive client hold the server open', async () => {
    const port = await serve(300);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    await get(port, '/fast', agent);
    const slow = get(port, '/slow', agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const draining = drainServer(server);
    // The busy client goes on sending on its one connection: answered, and told to close it.
    const afterSignal = get(port, '/fast', agent);
    expect(await slow).toMatchObject({ body: 'slow' });
    await expect(afterSignal).resolves.toMatchObject({ body: 'fast', connection: 'close' });
    await draining;
    agent.destroy();
  });
});
