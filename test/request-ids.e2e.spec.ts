import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeHuggingFace } from '#generators/test-support';
import { type RunningApp, startApp, waitForOk } from './support/app-process.js';

const API_KEY = 'ck-e2e-request-ids-key';
const HF_TOKEN = 'hf_e2e_request_ids_token';
const MODEL = 'black-forest-labs/FLUX.1-schnell';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let app: RunningApp;
let hf: FakeUpstream;

beforeAll(async () => {
  hf = await startFakeHuggingFace({
    token: HF_TOKEN,
    models: { [MODEL]: { task: 'text-to-image', providers: { 'hf-inference': MODEL } } },
  });
  const dataDir = await mkdtemp(join(tmpdir(), 'clipsmith-e2e-'));
  const config = join(dataDir, 'clipsmith.yaml');
  await writeFile(
    config,
    `generators:
  - { id: local, use: procedural }
  - { id: hf, use: huggingface, options: { model: ${MODEL}, endpointUrl: ${hf.url}/endpoints/${MODEL}, token: ${HF_TOKEN}, retries: 1, retryBaseDelayMs: 10 } }
`,
  );
  app = await startApp({ DATA_DIR: dataDir, CONFIG_FILE: config, API_KEYS: API_KEY, LOG_LEVEL: 'debug' });
  await waitForOk(app.url, '/readyz');
});
afterAll(async () => {
  await app?.stop();
  await hf?.close();
});

async function post(body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The access line is written when the response closes, which may be just after the client has it. */
async function requestLine(requestId: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 100; i++) {
    const line = app.logs.find((l) => l['msg'] === 'request' && l['requestId'] === requestId);
    if (line) return line;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no request line for ${requestId}`);
}

describe('request ids', () => {
  it('follows one id from the response header to every log line the request caused', async () => {
    const requestId = 'e2e-trace-0001';
    // Lines of earlier requests (the readiness polls) are all out once a probe's own line is.
    await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'settle' } });
    await requestLine('settle');
    const mark = app.logs.length;
    hf.fail(`/endpoints/${MODEL}`, { status: 503, message: 'overloaded' }, 1);
    const response = await post(
      { query: 'mutation { generate(input: { prompt: "a red circle", count: 2, seed: 5 }) { id } }' },
      { 'x-request-id': requestId, authorization: `Bearer ${API_KEY}` },
    );
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect((await response.json()) as unknown).toMatchObject({
      data: { generate: { id: expect.any(String) } },
    });
    expect(await requestLine(requestId)).toMatchObject({ method: 'POST', path: '/graphql', status: 200 });

    const caused = app.logs.slice(mark);
    const unrelated = caused.filter(
      (l) => l['requestId'] !== requestId && !(l['requestIds'] as unknown[] | undefined)?.includes(requestId),
    );
    expect(unrelated).toEqual([]);
    const described = caused.map((l) => [l['msg'], l['generator'] ?? l['kind']].filter(Boolean).join(' '));
    for (const expected of [
      'generator call local',
      'generator retry hf',
      'generator call hf',
      'model batch text',
      'model batch image',
      'request',
    ])
      expect(described).toContain(expected);
    // A batch serves whoever queued, so it lists request ids instead of belonging to one.
    expect(caused.find((l) => l['msg'] === 'model batch')).toMatchObject({ requestIds: [requestId] });
    expect(caused.find((l) => l['msg'] === 'model batch')!['requestId']).toBeUndefined();
  });

  it('makes up an id when the caller sends none or an unsafe one, and puts it in GraphQL errors', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'x-request-id': 'two words;<x>' },
      { 'x-request-id': 'x'.repeat(129) },
    ]) {
      const response = await post({ query: '{ generators { id } }' }, headers);
      const requestId = response.headers.get('x-request-id')!;
      expect(requestId).toMatch(UUID);
      const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
      expect(body.errors[0]!.extensions).toEqual({ code: 'UNAUTHENTICATED', requestId });
      expect(await requestLine(requestId)).toMatchObject({ status: expect.any(Number) });
    }
    const invalid = await post({ query: '{ nope }' }, { authorization: `Bearer ${API_KEY}` });
    const body = (await invalid.json()) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors[0]!.extensions['requestId']).toBe(invalid.headers.get('x-request-id'));
  });

  it('gives REST routes and refused bodies an id too', async () => {
    const health = await fetch(`${app.url}/healthz`, { headers: { 'x-request-id': 'probe-7' } });
    expect(health.headers.get('x-request-id')).toBe('probe-7');
    expect(await requestLine('probe-7')).toMatchObject({ method: 'GET', path: '/healthz', status: 200 });
    const broken = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'broken-json' },
      body: '{ not json',
    });
    expect([broken.status, broken.headers.get('x-request-id')]).toEqual([400, 'broken-json']);
  });

  it('never writes the API key or the generator token to the log', () => {
    const text = JSON.stringify(app.logs);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(HF_TOKEN);
    expect(app.logs.length).toBeGreaterThan(10);
  });
});
