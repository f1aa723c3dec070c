import { type Fault, type FakeUpstream, jsonReply, startFakeOpenAI } from '#generators/test-support';
import type { Rng } from './prng.js';

const API_KEY = 'sk-soak-key';
/** The generator's own timeout; a slow answer comes later than this. */
export const FLAKY_TIMEOUT_MS = 1000;

/** The faults an upstream suffers, at random. */
export function randomFault(rng: Rng): Fault {
  const garbage = { created: 1, data: [{ b64_json: rng.bytes(64 + rng.int(512)).toString('base64') }] };
  return rng.pick<Fault>([
    { status: 500 },
    { status: 503 },
    { status: 429, retryAfterSeconds: 1 },
    { delayMs: FLAKY_TIMEOUT_MS + 500 },
    { reply: jsonReply(200, garbage) },
    { reply: { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"data": [' } },
    { dropMidBody: true },
    { contentLength: 1 << 20 },
  ]);
}

/** An OpenAI-compatible images API on 127.0.0.1 that fails `faultRate` of its requests, at random. */
export async function startFlakyUpstream(rng: Rng, faultRate: number): Promise<FakeUpstream> {
  const fake = await startFakeOpenAI({ apiKey: API_KEY });
  fake.chaos(() => {
    // The soak runs for minutes: forget what the fake recorded, or it grows with every request.
    if (fake.requests.length > 100) fake.requests.length = 0;
    return rng.chance(faultRate) ? randomFault(rng) : undefined;
  });
  return fake;
}

/**
 * The CONFIG_FILE of the soak: the offline generator and two flaky HTTP ones, each call timing out after
 * `timeoutMs` (a slow fault comes later than FLAKY_TIMEOUT_MS).
 */
export function soakConfig(upstream: FakeUpstream, timeoutMs = FLAKY_TIMEOUT_MS): string {
  const flaky = (id: string) =>
    `  - { id: ${id}, use: openai-images, options: { baseUrl: ${upstream.url}/v1, apiKey: ${API_KEY}, ` +
    `model: dall-e-2, retries: 1, retryBaseDelayMs: 50, retryMaxDelayMs: 1500, timeoutMs: ${timeoutMs} } }`;
  return [
    'generators:',
    '  - { id: local, use: procedural }',
    flaky('flaky-a'),
    flaky('flaky-b'),
    `fanOut: { perGeneratorTimeoutMs: ${4 * timeoutMs}, deadlineMs: ${8 * timeoutMs} }`,
    '',
  ].join('\n');
}

export const GENERATORS = ['local', 'flaky-a', 'flaky-b'] as const;
export const FLAKY_GENERATORS = ['flaky-a', 'flaky-b'] as const;
