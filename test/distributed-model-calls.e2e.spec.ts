import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sceneBytes } from '../apps/api/src/test-support/service-app.js';
import { type RunningApp, startReadyApp } from './support/app-process.js';
import { Cluster } from './support/cluster.js';
import { errorCode, gql, gqlUpload } from './support/graphql-client.js';
import { generateSearchables, quickCalls, sendQuickCall } from './support/quick-calls.js';

let cluster: Cluster;
let api: RunningApp;
let worker: RunningApp;
/** The embedded default on the same model and generators: what every answer must equal. */
let all: RunningApp;
let image: string;

beforeAll(async () => {
  cluster = await Cluster.start();
  [api, worker, all] = await Promise.all([
    cluster.node('api'),
    cluster.node('worker'),
    startReadyApp({ CONFIG_FILE: cluster.env['CONFIG_FILE']! }),
  ]);
  image = (await sceneBytes('a red circle on a white background')).toString('base64');
  await Promise.all([generateSearchables(api), generateSearchables(all)]);
}, 180_000);
afterAll(async () => {
  await all?.stop();
  await cluster?.dispose();
});

/** Model batches a node has run, from its /metrics. */
async function modelBatches(app: RunningApp): Promise<number> {
  const metrics = await (await fetch(`${app.url}/metrics`)).text();
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('clipsmith_model_batch_size_count'))
    .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
}

describe('quick model calls on an api node, run by a worker through the queue', () => {
  it('answers every call as the all node does, number for number; the api node runs no model', async () => {
    const before = await modelBatches(worker);
    const answers: Record<string, unknown> = {};
    for (const call of quickCalls(image)) {
      const [viaApi, viaAll] = [await sendQuickCall(api, call), await sendQuickCall(all, call)];
      expect(viaAll.errors, call.name).toBeUndefined();
      expect(viaApi.data, call.name).toEqual(viaAll.data);
      answers[call.name] = viaApi.data;
    }
    // The searches found the generated assets, in the same order with the same scores.
    expect(answers['searchAssets (text)']).toMatchObject({ searchAssets: { hits: { length: 5 } } });
    expect(await modelBatches(worker)).toBeGreaterThan(before);
    expect(await modelBatches(api)).toBe(0);
  });

  it('takes an upload on the api node and answers it as the all node does', async () => {
    const query = `query($image: ImageInput!) {
      rankCaptions(image: $image, captions: ["a red circle", "a blue square"]) { caption similarity probability } }`;
    const bytes = Buffer.from(image, 'base64');
    const send = (app: RunningApp) =>
      gqlUpload(app.url, query, { image: { upload: null } }, { 'variables.image.upload': bytes });
    const [viaApi, viaAll] = [await send(api), await send(all)];
    expect(viaAll.errors).toBeUndefined();
    expect(viaApi.data).toEqual(viaAll.data);
  });

  it('gives a bad image the code and message the all node gives', async () => {
    const query = `query($image: ImageInput!) { classify(image: $image, labels: ["a", "b"]) { label } }`;
    const variables = { image: { base64: Buffer.from('not an image at all').toString('base64') } };
    const [viaApi, viaAll] = [await gql(api.url, query, variables), await gql(all.url, query, variables)];
    expect(errorCode(viaAll)).toBe('BAD_IMAGE');
    expect(viaApi.errors?.map((e) => [e.extensions?.code, e.message])).toEqual(
      viaAll.errors?.map((e) => [e.extensions?.code, e.message]),
    );
  });

  it('fails with WORKER_TIMEOUT when no worker is running', async () => {
    await worker.stop();
    const impatient = await cluster.node('api', { MODEL_CALL_TIMEOUT_MS: '1500' });
    const answer = await sendQuickCall(impatient, quickCalls(image)[0]!);
    expect(errorCode(answer)).toBe('WORKER_TIMEOUT');
    expect(answer.errors?.[0]?.message).toMatch(/within 1500 ms \(MODEL_CALL_TIMEOUT_MS\)/);
  });
});
