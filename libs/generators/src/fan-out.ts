import type { ImageLimits } from '#clip';
import type { GeneratedImage, GenerationRequest, ImageGenerator } from './contract.js';
import { GeneratorError, type GeneratorErrorCode } from './errors.js';
import { checkGeneratedImage } from './image-check.js';

export interface FanOutOptions {
  /** Longest one generator may take for all its calls (default 60 s). */
  perGeneratorTimeoutMs: number;
  /** Longest the whole fan-out may take (default 120 s). */
  deadlineMs: number;
  /** Calls in flight at once per generator (default 2). */
  callConcurrency: number;
  imageLimits: ImageLimits;
  /** Aborted when the caller goes away: every outstanding call is cancelled. */
  signal?: AbortSignal;
}

export const DEFAULT_FAN_OUT: Omit<FanOutOptions, 'imageLimits'> = {
  perGeneratorTimeoutMs: 60_000,
  deadlineMs: 120_000,
  callConcurrency: 2,
};

/** A checked image with where it came from and how to make it again. */
export interface Candidate {
  generatorId: string;
  kind: string;
  bytes: Uint8Array;
  mimeType: string;
  width: number;
  height: number;
  seed: number | null;
  parameters: Record<string, unknown>;
  model: string;
  /** Time of the call that produced it. */
  latencyMs: number;
}

export interface GenerationFailure {
  generatorId: string;
  code: GeneratorErrorCode;
  message: string;
  retries: number;
}

export interface GeneratorOutcome {
  generatorId: string;
  kind: string;
  candidates: number;
  failures: number;
  retries: number;
  latencyMs: number;
}

export interface FanOutResult {
  candidates: Candidate[];
  errors: GenerationFailure[];
  outcomes: GeneratorOutcome[];
}

/**
 * Asks every generator for `request.count` images at once, each under its own timeout and the global
 * deadline, and returns what succeeded with a typed error for each failure: one failing provider never
 * sinks the request. Requests larger than a generator's batch become several calls with consecutive seeds.
 */
export async function fanOut(
  generators: readonly ImageGenerator[],
  request: GenerationRequest,
  options: FanOutOptions,
): Promise<FanOutResult> {
  const deadline = AbortSignal.timeout(options.deadlineMs);
  const callerSignal = options.signal ? [options.signal] : [];
  const baseSeed = request.seed ?? Math.floor(Math.random() * 2 ** 31);
  const results = await Promise.all(
    generators.map((generator) => {
      const signal = AbortSignal.any([
        ...callerSignal,
        deadline,
        AbortSignal.timeout(options.perGeneratorTimeoutMs),
      ]);
      return runGenerator(generator, { ...request, seed: baseSeed }, signal, options);
    }),
  );
  return {
    candidates: results.flatMap((r) => r.candidates),
    errors: results.flatMap((r) => r.errors),
    outcomes: results.map((r) => r.outcome),
  };
}

interface GeneratorRun {
  candidates: Candidate[];
  errors: GenerationFailure[];
  outcome: GeneratorOutcome;
}

async function runGenerator(
  generator: ImageGenerator,
  request: GenerationRequest & { seed: number },
  signal: AbortSignal,
  options: FanOutOptions,
): Promise<GeneratorRun> {
  const started = performance.now();
  const candidates: Candidate[] = [];
  const errors: GenerationFailure[] = [];
  let retries = 0;
  const fail = (error: unknown): void => {
    const typed = asGeneratorError(generator.id, error, signal);
    errors.push({
      generatorId: generator.id,
      code: typed.code,
      message: typed.message,
      retries: typed.retries,
    });
  };
  const unsupported = capabilityProblem(generator, request);
  if (unsupported) {
    fail(unsupported);
  } else {
    const calls = splitIntoCalls(generator, request);
    await forEachLimited(calls, options.callConcurrency, async (call) => {
      if (signal.aborted) return fail(signal.reason);
      const callStarted = performance.now();
      try {
        const images = await untilAborted(
          generator.generate(call, { signal, onRetry: () => void retries++ }),
          signal,
        );
        const latencyMs = performance.now() - callStarted;
        for (const image of images.slice(0, call.count)) {
          await checkGeneratedImage(generator.id, image, options.imageLimits).then(
            (checked) => candidates.push(toCandidate(generator, image, checked, latencyMs)),
            fail,
          );
        }
      } catch (error) {
        fail(error);
      }
    });
  }
  return {
    candidates,
    errors,
    outcome: {
      generatorId: generator.id,
      kind: generator.kind,
      candidates: candidates.length,
      failures: errors.length,
      retries,
      latencyMs: performance.now() - started,
    },
  };
}

function toCandidate(
  generator: ImageGenerator,
  image: GeneratedImage,
  checked: { mimeType: string; width: number; height: number },
  latencyMs: number,
): Candidate {
  return {
    generatorId: generator.id,
    kind: generator.kind,
    bytes: image.bytes,
    ...checked,
    seed: image.seed,
    parameters: image.parameters,
    model: image.model,
    latencyMs,
  };
}

/** Why a generator cannot serve this request at all, or null. */
function capabilityProblem(generator: ImageGenerator, request: GenerationRequest): GeneratorError | null {
  const caps = generator.capabilities;
  if (request.image && !caps.imageToImage) {
    return new GeneratorError('UNSUPPORTED', `${generator.id} does not edit images (no image-to-image)`);
  }
  if (!request.image && !caps.textToImage) {
    return new GeneratorError('UNSUPPORTED', `${generator.id} only edits images (no text-to-image)`);
  }
  const { width, height } = request;
  const { minWidth, maxWidth, minHeight, maxHeight, multipleOf } = caps.sizes;
  const fits = (v: number | undefined, min: number, max: number): boolean =>
    v === undefined || (v >= min && v <= max && v % multipleOf === 0);
  if (!fits(width, minWidth, maxWidth) || !fits(height, minHeight, maxHeight)) {
    return new GeneratorError(
      'BAD_REQUEST',
      `${generator.id} makes ${minWidth}–${maxWidth} × ${minHeight}–${maxHeight} pixels` +
        `${multipleOf > 1 ? ` in multiples of ${multipleOf}` : ''}; ${width ?? 'default'} × ${height ?? 'default'} was asked`,
    );
  }
  return null;
}

/** Splits `count` images into calls of at most the generator's batch size, each with its own first seed. */
function splitIntoCalls(
  generator: ImageGenerator,
  request: GenerationRequest & { seed: number },
): GenerationRequest[] {
  const perCall = Math.max(1, generator.capabilities.maxImagesPerCall);
  const calls: GenerationRequest[] = [];
  for (let first = 0; first < request.count; first += perCall) {
    calls.push({
      ...request,
      count: Math.min(perCall, request.count - first),
      seed: (request.seed + first) % 2 ** 31,
    });
  }
  return calls;
}

async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Settles with the work, or rejects as soon as the signal aborts, even if a plugin ignores it. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function asGeneratorError(generatorId: string, error: unknown, signal: AbortSignal): GeneratorError {
  if (error instanceof GeneratorError) return error;
  if (signal.aborted && error === signal.reason) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    return timedOut
      ? new GeneratorError('TIMEOUT', `${generatorId} did not finish before its timeout`)
      : new GeneratorError('CANCELLED', `${generatorId} was cancelled`);
  }
  return new GeneratorError(
    'GENERATOR_FAILED',
    `${generatorId} failed: ${(error as Error)?.message ?? String(error)}`,
    {
      cause: error,
    },
  );
}
