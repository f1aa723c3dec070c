import { DEFAULT_IMAGE_LIMITS } from '#clip';
import { describe, expect, it } from 'vitest';
import { GeneratorError } from './errors.js';
import { DEFAULT_FAN_OUT, fanOut, type FanOutOptions } from './fan-out.js';
import {
  hangs,
  OPEN_CAPABILITIES,
  pngs,
  ScriptedGenerator,
  solidPng,
} from './test-support/scripted-generator.js';

const options = (overrides: Partial<FanOutOptions> = {}): FanOutOptions => ({
  ...DEFAULT_FAN_OUT,
  imageLimits: DEFAULT_IMAGE_LIMITS,
  ...overrides,
});

describe('fanOut', () => {
  it('asks every generator, splitting counts into calls with consecutive seeds', async () => {
    const a = new ScriptedGenerator('a', pngs());
    const b = new ScriptedGenerator('b', pngs(), { ...OPEN_CAPABILITIES, maxImagesPerCall: 1 });
    const result = await fanOut(
      [a, b],
      { prompt: 'a red circle', count: 3, seed: 100, width: 64, height: 48 },
      options(),
    );
    expect(a.calls.map((c) => [c.count, c.seed])).toEqual([
      [2, 100],
      [1, 102],
    ]);
    expect(b.calls.map((c) => c.seed)).toEqual([100, 101, 102]);
    expect(result.candidates).toHaveLength(6);
    expect(
      result.candidates
        .filter((c) => c.generatorId === 'a')
        .map((c) => c.seed)
        .sort(),
    ).toEqual([100, 101, 102]);
    expect(result.candidates[0]).toMatchObject({
      image: { kind: 'verified', mimeType: 'image/png', width: 64, height: 48 },
      model: 'scripted-1',
    });
    // Verified once, and its pixels kept for CLIP and the store.
    expect(result.candidates[0]!.image.pixels.rgb).toMatchObject({ width: 64, height: 48 });
    expect(result.errors).toEqual([]);
    expect(result.outcomes.map((o) => [o.generatorId, o.candidates, o.failures])).toEqual([
      ['a', 3, 0],
      ['b', 3, 0],
    ]);
  });

  it('reports every call as it starts and finishes, failed ones included, out of the planned total', async () => {
    const a = new ScriptedGenerator('a', pngs(), { ...OPEN_CAPABILITIES, maxImagesPerCall: 1 });
    const broken = new ScriptedGenerator('broken', async () => {
      throw new Error('boom');
    });
    const seen: { started: number; finished: number; total: number }[] = [];
    await fanOut([a, broken], { prompt: 'x', count: 3 }, options({ onCalls: (c) => seen.push(c) }));
    // a: 3 calls of 1 image; broken: 2 calls of up to 2.
    expect(seen).toHaveLength(10);
    expect(seen.every((c) => c.total === 5 && c.finished <= c.started)).toBe(true);
    expect(seen.at(-1)).toEqual({ started: 5, finished: 5, total: 5 });
    expect(seen.map((c) => c.started + c.finished)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('draws a seed when none is given and reports it', async () => {
    const a = new ScriptedGenerator('a', pngs());
    const { candidates } = await fanOut([a], { prompt: 'x', count: 1 }, options());
    expect(Number.isInteger(candidates[0]!.seed)).toBe(true);
  });

  it('returns what succeeded when another generator fails', async () => {
    const good = new ScriptedGenerator('good', pngs());
    const bad = new ScriptedGenerator('bad', () =>
      Promise.reject(new GeneratorError('RATE_LIMITED', 'bad: slow down', { retries: 2 })),
    );
    const thrower = new ScriptedGenerator('thrower', () =>
      Promise.reject(new TypeError('undefined is not a function')),
    );
    const result = await fanOut([good, bad, thrower], { prompt: 'x', count: 1 }, options());
    expect(result.candidates.map((c) => c.generatorId)).toEqual(['good']);
    expect(result.errors).toEqual([
      { generatorId: 'bad', code: 'RATE_LIMITED', message: 'bad: slow down', retries: 2 },
      {
        generatorId: 'thrower',
        code: 'GENERATOR_FAILED',
        message: 'thrower failed: undefined is not a function',
        retries: 0,
      },
    ]);
  });

  it('times out a slow generator on its own clock, even one that ignores the abort', async () => {
    const fast = new ScriptedGenerator('fast', pngs());
    const slow = new ScriptedGenerator('slow', hangs(true));
    const started = performance.now();
    const result = await fanOut(
      [fast, slow],
      { prompt: 'x', count: 1 },
      options({ perGeneratorTimeoutMs: 300 }),
    );
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(result.candidates.map((c) => c.generatorId)).toEqual(['fast']);
    expect(result.errors).toEqual([
      expect.objectContaining({
        generatorId: 'slow',
        code: 'TIMEOUT',
        message: 'slow did not finish before its timeout',
      }),
    ]);
    expect(slow.aborted).toBe(1);
  });

  it('ends everything at the global deadline', async () => {
    const slow = [new ScriptedGenerator('s1', hangs()), new ScriptedGenerator('s2', hangs())];
    const started = performance.now();
    const result = await fanOut(slow, { prompt: 'x', count: 1 }, options({ deadlineMs: 200 }));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.errors.map((e) => e.code)).toEqual(['TIMEOUT', 'TIMEOUT']);
  });

  it('cancels outstanding calls when the caller goes away', async () => {
    const slow = new ScriptedGenerator('slow', hangs(), { ...OPEN_CAPABILITIES, maxImagesPerCall: 1 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await fanOut(
      [slow],
      { prompt: 'x', count: 4 },
      options({ signal: controller.signal, callConcurrency: 2 }),
    );
    expect(slow.aborted).toBe(2); // both calls in flight saw the abort
    expect(slow.calls).toHaveLength(2); // and no further call was started
    expect(result.errors.map((e) => e.code)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
  });

  it('turns garbage, a wrong content type or an oversized image into errors for those candidates only', async () => {
    const png = await solidPng(32, 32);
    const mixed = new ScriptedGenerator(
      'mixed',
      async () => [
        { bytes: png, mimeType: 'image/png', seed: 1, parameters: {}, model: 'm' },
        {
          bytes: Buffer.from('<html>oops</html>'),
          mimeType: 'image/png',
          seed: 2,
          parameters: {},
          model: 'm',
        },
        { bytes: png, mimeType: 'image/jpeg', seed: 3, parameters: {}, model: 'm' },
        { bytes: await solidPng(200, 200), mimeType: 'image/png', seed: 4, parameters: {}, model: 'm' },
        { bytes: png, mimeType: 'application/octet-stream', seed: 5, parameters: {}, model: 'm' },
      ],
      { ...OPEN_CAPABILITIES, maxImagesPerCall: 5 },
    );
    const limits = { ...DEFAULT_IMAGE_LIMITS, maxPixels: 10_000 };
    const result = await fanOut([mixed], { prompt: 'x', count: 5 }, options({ imageLimits: limits }));
    expect(result.candidates.map((c) => c.seed)).toEqual([1, 5]);
    expect(result.errors.map((e) => [e.code, e.message])).toEqual([
      [
        'BAD_IMAGE',
        'mixed returned an unusable image: input is not an image (no known image format signature)',
      ],
      ['BAD_IMAGE', 'mixed said the image is image/jpeg but its bytes are image/png'],
      ['IMAGE_TOO_LARGE', expect.stringContaining('40000 pixels; the limit is 10000')],
    ]);
  });

  it('refuses requests a generator cannot serve, before calling it', async () => {
    const a = new ScriptedGenerator('a', pngs());
    const result = await fanOut([a], { prompt: 'x', count: 1, width: 100, height: 64 }, options());
    expect(a.calls).toHaveLength(0);
    expect(result.errors[0]).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('in multiples of 8'),
    });
    const edit = await fanOut(
      [a],
      {
        prompt: 'x',
        count: 1,
        image: { bytes: await solidPng(), mimeType: 'image/png', width: 32, height: 32 },
      },
      options(),
    );
    expect(edit.errors[0]).toMatchObject({
      code: 'UNSUPPORTED',
      message: 'a does not edit images (no image-to-image)',
    });
    const image = { bytes: await solidPng(), mimeType: 'image/png', width: 32, height: 32 };
    const editor = new ScriptedGenerator('e', pngs(), { ...OPEN_CAPABILITIES, imageToImage: true });
    const inpaint = await fanOut([editor], { prompt: 'x', count: 1, image, mask: image }, options());
    expect(editor.calls).toHaveLength(0);
    expect(inpaint.errors[0]).toMatchObject({
      code: 'UNSUPPORTED',
      message: 'e does not inpaint (no capabilities.inpainting)',
    });
  });

  it('counts the retries a generator reports', async () => {
    const flaky = new ScriptedGenerator('flaky', pngs());
    flaky.generate = (request, context) => {
      context.onRetry?.({ attempt: 1, status: 503, delayMs: 1 });
      context.onRetry?.({ attempt: 2, status: 429, delayMs: 1 });
      return pngs()(request);
    };
    const result = await fanOut([flaky], { prompt: 'x', count: 1 }, options());
    expect(result.outcomes[0]!.retries).toBe(2);
  });
});
