import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Queue } from 'bullmq';
import type { FileUpload } from 'graphql-upload/Upload.mjs';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClipEngineService } from '../engine/clip-engine.service.js';
import { toApiError } from '../errors/api-error.js';
import { GenerationService } from '../generation/generation.service.js';
import { sceneBytes, type ServiceApp, serviceApp } from '../test-support/service-app.js';
import { type TestServer, testPostgresDatabase, testRedis } from '../test-support/throwaway-servers.js';
import type { ModelCallInput, ModelCallKind } from './model-call-handlers.js';
import { MODEL_CALL_PORT, type ModelCallPort } from './model-call-port.js';

let redis: TestServer;
let postgres: TestServer;
let dataDir: string;
let worker: ServiceApp;
let api: ServiceApp;
let red: string;
let stored: string;
const nodes: ServiceApp[] = [];
const signal = new AbortController().signal;

/** A node of the cluster: `api` (no model) or `worker`, on the shared Redis, PostgreSQL and files. */
async function node(role: 'api' | 'worker', env: Record<string, string> = {}): Promise<ServiceApp> {
  const app = await serviceApp({
    dataDir,
    env: {
      REDIS_URL: redis.url,
      DATABASE_URL: postgres.url,
      CLIPSMITH_ROLE: role,
      // Long enough that only a cancel can stop the hanging URL fetch below.
      MODEL_CALL_TIMEOUT_MS: '60000',
      URL_FETCH_TIMEOUT_MS: '60000',
      URL_ALLOW_HOSTS: '127.0.0.1',
      ...env,
    },
  });
  nodes.push(app);
  return app;
}

const port = (app: ServiceApp): ModelCallPort => app.context.get<symbol, ModelCallPort>(MODEL_CALL_PORT);

/** What the api node answers through the queue, and what the worker answers for itself (as an `all` node does). */
async function both<K extends ModelCallKind>(kind: K, input: ModelCallInput<K>) {
  const settle = (p: Promise<unknown>) =>
    p.then(
      (value) => ({ value }),
      (error: unknown) => ({ error: { code: toApiError(error).code, message: toApiError(error).message } }),
    );
  return {
    queued: await settle(port(api).call(kind, input, signal)),
    direct: await settle(port(worker).call(kind, input, signal)),
  };
}

beforeAll(async () => {
  [redis, postgres] = await Promise.all([testRedis({ throwaway: true }), testPostgresDatabase()]);
  dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-model-calls-'));
  worker = await node('worker');
  api = await node('api');
  red = (await sceneBytes('a red circle on a white background')).toString('base64');
  const generated = await worker.context
    .get(GenerationService)
    .generate({ prompt: 'a red circle on a white background', count: 2, seed: 1 }, signal);
  await worker.context
    .get(GenerationService)
    .generate({ prompt: 'a blue square on a white background', count: 2, seed: 2 }, signal);
  stored = generated.candidates[0]!.asset.id;
}, 120_000);

afterAll(async () => {
  for (const app of nodes.reverse()) await app.close();
  await Promise.all([redis?.dispose(), postgres?.dispose()]);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const LABELS = ['a red circle', 'a blue square', 'a green triangle'];

describe('model calls from an api node, answered by a worker through the queue', () => {
  it.each<[string, () => ReturnType<typeof both>]>([
    ['classify', () => both('classify', { image: { base64: red }, labels: LABELS, temperature: 0.5 })],
    [
      'scoreCaptions',
      () =>
        both('scoreCaptions', {
          items: [
            { image: { assetId: stored }, caption: 'a red circle', references: ['a red shape'] },
            { image: { base64: red }, caption: 'a blue square' },
          ],
          store: true,
        }),
    ],
    ['rankCaptions', () => both('rankCaptions', { image: { assetId: stored }, captions: LABELS })],
    [
      'moderate',
      () =>
        both('moderate', {
          image: { base64: red },
          policy: { rules: [{ name: 'red', description: 'a red circle', threshold: 0.4 }] },
        }),
    ],
    ['searchAssets by text', () => both('searchAssets', { query: { text: 'a red circle' }, k: 3 })],
    [
      'searchAssets by image',
      () => both('searchAssets', { query: { image: { base64: red } }, k: 4, minPercentile: 50 }),
    ],
    ['captionByRetrieval', () => both('captionByRetrieval', { image: { assetId: stored }, k: 3 })],
  ])('%s: the same answer, number for number, as the node with the model', async (_, run) => {
    const { queued, direct } = await run();
    expect(direct).toHaveProperty('value');
    expect(queued).toEqual(direct);
    // The api node never loaded a model: the answer can only have come from the worker.
    expect(api.context.get(ClipEngineService).state.status).toBe('loading');
  });

  it('reads an upload on the api node and sends its bytes', async () => {
    const bytes = Buffer.from(red, 'base64');
    // What the Upload scalar hands a resolver: the file's details, once its part has arrived.
    const upload = Promise.resolve({
      filename: 'red.png',
      mimetype: 'image/png',
      encoding: '7bit',
      createReadStream: () => Readable.from([bytes]),
    } satisfies FileUpload);
    const fromUpload = await port(api).call('classify', { image: { upload }, labels: LABELS }, signal);
    expect(fromUpload).toEqual(
      await port(worker).call('classify', { image: { base64: red }, labels: LABELS }, signal),
    );
  });

  it.each<[string, string, () => ReturnType<typeof both>]>([
    [
      'a corrupt image',
      'BAD_IMAGE',
      () =>
        both('classify', {
          image: { base64: Buffer.from('not an image').toString('base64') },
          labels: LABELS,
        }),
    ],
    [
      'too many labels',
      'TOO_MANY_ITEMS',
      () =>
        both('classify', {
          image: { base64: red },
          labels: Array.from({ length: 65 }, (_, i) => `label ${i}`),
        }),
    ],
    [
      'an unknown asset',
      'NOT_FOUND',
      () => both('rankCaptions', { image: { assetId: 'f'.repeat(64) }, captions: LABELS }),
    ],
    ['k = 0', 'BAD_REQUEST', () => both('searchAssets', { query: { text: 'a red circle' }, k: 0 })],
    [
      'two image sources',
      'BAD_REQUEST',
      () => both('classify', { image: { base64: red, assetId: stored }, labels: LABELS }),
    ],
  ])('%s: %s with the same message', async (_, code, run) => {
    const { queued, direct } = await run();
    expect(direct).toMatchObject({ error: { code } });
    expect(queued).toEqual(direct);
  });

  it('cancels the call on its worker when the client leaves: the image URL fetch there is aborted', async () => {
    const hanging = await hangingServer();
    try {
      const leave = new AbortController();
      const call = port(api)
        .call('classify', { image: { url: `${hanging.url}/slow.png` }, labels: LABELS }, leave.signal)
        .catch((e: unknown) => e);
      await vi.waitFor(() => expect(hanging.requests).toHaveLength(1), { timeout: 20_000 });
      leave.abort();
      expect(toApiError(await call).code).toBe('CANCELLED');
      await vi.waitFor(() => expect(hanging.closed).toBe(1), { timeout: 20_000 });
    } finally {
      await hanging.close();
    }
  });
});

describe('model calls from an api node with no worker', () => {
  beforeAll(async () => {
    await worker.close();
    nodes.splice(nodes.indexOf(worker), 1);
  });

  it('fails with WORKER_TIMEOUT after MODEL_CALL_TIMEOUT_MS and leaves nothing in the queue', async () => {
    const impatient = await node('api', { MODEL_CALL_TIMEOUT_MS: '300' });
    const error = await port(impatient)
      .call('classify', { image: { base64: red }, labels: LABELS }, signal)
      .catch((e: unknown) => e);
    expect(toApiError(error)).toMatchObject({
      code: 'WORKER_TIMEOUT',
      message: expect.stringMatching(
        /no worker answered the classify call within 300 ms \(MODEL_CALL_TIMEOUT_MS\)/,
      ),
    });
    await vi.waitFor(async () => expect(await waitingCalls()).toBe(0));
  });

  it('removes a call whose client left before any worker took it', async () => {
    const leave = new AbortController();
    const call = port(api)
      .call('rankCaptions', { image: { base64: red }, captions: LABELS }, leave.signal)
      .catch((e: unknown) => e);
    await vi.waitFor(async () => expect(await waitingCalls()).toBe(1));
    leave.abort();
    expect(toApiError(await call).code).toBe('CANCELLED');
    await vi.waitFor(async () => expect(await waitingCalls()).toBe(0));
  });

  it('fails with QUEUE_UNAVAILABLE while Redis is down', async () => {
    await redis.stop();
    try {
      const error = await port(api)
        .call('classify', { image: { base64: red }, labels: LABELS }, signal)
        .catch((e: unknown) => e);
      expect(toApiError(error)).toMatchObject({
        code: 'QUEUE_UNAVAILABLE',
        message: expect.stringContaining('the model-call queue (Redis) cannot be reached'),
      });
    } finally {
      await redis.start();
    }
  });
});

/** Calls queued and not yet taken by a worker. */
async function waitingCalls(): Promise<number> {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue('clipsmith-model-calls', { connection });
  try {
    return (await queue.getJobCounts('wait')).wait ?? 0;
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

/** An HTTP server on 127.0.0.1 that never answers: what it was asked, and how many of those sockets closed. */
async function hangingServer(): Promise<{
  url: string;
  requests: IncomingMessage[];
  closed: number;
  close(): Promise<void>;
}> {
  const requests: IncomingMessage[] = [];
  const state = { closed: 0 };
  const server: Server = createServer((req) => {
    requests.push(req);
    req.socket.once('close', () => (state.closed += 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: listening } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${listening}`,
    requests,
    get closed() {
      return state.closed;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
