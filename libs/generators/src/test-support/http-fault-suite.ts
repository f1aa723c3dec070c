import { describe, expect, it, vi } from 'vitest';
import type { GenerationRequest, ImageGenerator, RetryEvent } from '../contract.js';
import { expectSecretFree, rejection } from './error-checks.js';
import type { FakeUpstream } from './fake-upstream.js';
import { largePng, NOT_AN_IMAGE } from './test-images.js';

export interface FaultSuiteSetup {
  /** The running fake, started (and reset between tests) by the spec. */
  fake: () => FakeUpstream;
  /** Path prefix of the generation request: where faults are scripted. */
  path: string;
  /** The credential the generator sends, which must never show in an error. */
  secret: string;
  /** Builds the generator under test, `options` over the spec's own (which keep retry delays short). */
  create: (options?: Record<string, unknown>) => ImageGenerator;
  request: GenerationRequest;
}

/**
 * What every HTTP plugin must do when its upstream misbehaves, run by each plugin's spec against
 * that plugin's fake (retries 2, short delays).
 */
export function describeHttpFaults(setup: FaultSuiteSetup): void {
  const generationRequests = () => setup.fake().requests.filter((r) => r.path.startsWith(setup.path));

  function run(generator: ImageGenerator, signal = new AbortController().signal) {
    const retries: RetryEvent[] = [];
    const promise = generator.generate(setup.request, { signal, onRetry: (event) => retries.push(event) });
    return { promise, retries };
  }

  describe('when the upstream misbehaves', () => {
    it('retries a 500 and reports the retry', async () => {
      setup.fake().fail(setup.path, { status: 500 });
      const { promise, retries } = run(setup.create());
      expect(await promise).toHaveLength(setup.request.count);
      expect(retries).toEqual([expect.objectContaining({ attempt: 1, status: 500 })]);
      expect(generationRequests()).toHaveLength(2);
    });

    it('waits as long as a 429 Retry-After asks, then retries once', async () => {
      setup.fake().fail(setup.path, { status: 429, retryAfterSeconds: 1 });
      const started = performance.now();
      const { promise, retries } = run(setup.create());
      expect(await promise).toHaveLength(setup.request.count);
      expect(performance.now() - started).toBeGreaterThanOrEqual(950);
      expect(retries).toEqual([{ attempt: 1, status: 429, delayMs: 1000 }]);
    });

    it.each([
      [400, 'BAD_REQUEST'],
      [401, 'UNAUTHENTICATED'],
    ])('does not retry HTTP %i, which becomes %s', async (status, code) => {
      setup.fake().fail(setup.path, { status }, 3);
      const { promise, retries } = run(setup.create());
      const error = await rejection(promise);
      expect(error).toMatchObject({ code, status, retries: 0 });
      expect(retries).toEqual([]);
      expect(generationRequests()).toHaveLength(1);
    });

    it('keeps the credential out of errors, even when the upstream echoes it', async () => {
      setup.fake().fail(setup.path, { status: 401, message: `invalid credentials: ${setup.secret}` });
      const error = await rejection(run(setup.create()).promise);
      expect(error.message).toContain('invalid credentials: ***');
      expectSecretFree(error, setup.secret);
    });

    it('times out an answer slower than options.timeoutMs, hanging up on it', async () => {
      setup.fake().fail(setup.path, { delayMs: 10_000 });
      const started = performance.now();
      const error = await rejection(run(setup.create({ timeoutMs: 1000 })).promise);
      expect(error.code).toBe('TIMEOUT');
      expect(performance.now() - started).toBeLessThan(2500);
      await generationRequests()[0]!.abandoned;
    });

    it('retries a connection dropped mid-body', async () => {
      setup.fake().fail(setup.path, { dropMidBody: true });
      const { promise, retries } = run(setup.create());
      expect(await promise).toHaveLength(setup.request.count);
      expect(retries).toEqual([expect.objectContaining({ attempt: 1, status: null })]);
    });

    it('gives up when every attempt drops mid-body', async () => {
      setup.fake().fail(setup.path, { dropMidBody: true }, 10);
      const error = await rejection(run(setup.create()).promise);
      expect(error).toMatchObject({ code: 'GENERATOR_FAILED', retries: 2 });
      expect(generationRequests()).toHaveLength(3);
      expectSecretFree(error, setup.secret);
    });

    it('refuses a body over options.maxResponseBytes without retrying', async () => {
      setup.fake().images = [await largePng()];
      const error = await rejection(run(setup.create({ maxResponseBytes: 64 * 1024 })).promise);
      expect(error.code).toBe('IMAGE_TOO_LARGE');
      expect(generationRequests()).toHaveLength(1);
    });

    it('refuses a declared Content-Length over the limit before reading the body', async () => {
      setup.fake().fail(setup.path, { contentLength: 64 * 1024 * 1024 });
      const error = await rejection(run(setup.create()).promise);
      expect(error.code).toBe('IMAGE_TOO_LARGE');
      expect(error.message).toContain(String(64 * 1024 * 1024));
    });

    it('stops the outstanding request when the caller aborts', async () => {
      setup.fake().fail(setup.path, { delayMs: 30_000 });
      const controller = new AbortController();
      const { promise } = run(setup.create(), controller.signal);
      const error = rejection(promise);
      await vi.waitFor(() => expect(generationRequests()).toHaveLength(1));
      const aborted = performance.now();
      controller.abort();
      expect(await error).toMatchObject({ code: 'CANCELLED' });
      expect(performance.now() - aborted).toBeLessThan(500);
      await generationRequests()[0]!.abandoned;
    });

    it("passes non-image bytes on as claimed: checking them is the fan-out's job", async () => {
      setup.fake().images = [NOT_AN_IMAGE];
      const [image] = await run(setup.create()).promise;
      expect(Buffer.from(image!.bytes)).toEqual(NOT_AN_IMAGE.bytes);
      expect(image!.mimeType).toBe('image/png');
    });
  });
}
