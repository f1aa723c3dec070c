import type { ImageLimits, VerifiedImage } from '#clip';
import type { GeneratedImage, GenerationRequest, ImageGenerator } from './contract.js';
import { GeneratorError, type GeneratorErrorCode } from './errors.js';
import { checkGeneratedImage } from './image-check.js';

export interface FanOutOptions {
  /** Longest one generator may take for all its calls. */
  perGeneratorTimeoutMs: number;
  /** Longest the whole fan-out may take. */
  deadlineMs: number;
  /** Calls in flight at once per generator. */
  callConcurrency: number;
  imageLimits: ImageLimits;
  /** Aborted when the caller goes away: every outstanding call is cancelled. */
  signal?: AbortSignal;
  /** Told each time a generator call starts or finishes (failed ones too): a job's progress. */
  onCalls?: (calls: CallProgress) => void;
}

/** Generator calls of one fan-out: all of them are planned before the first starts. */
export interface CallProgress {
  started: number;
  finished: number;
  total: number;
}

export const DEFAULT_FAN_OUT: Omit<FanOutOptions, 'imageLimits'> = {
  perGeneratorTimeoutMs: 60_000,
  deadlineMs: 120_000,
  callConcurrency: 2,
};

/** A verified image with where it came from and how to make it again. */
export interface Candidate {
  generatorId: string;
  kind: string;
  image: VerifiedImage;
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
  const seeded = { ...request, seed: request.seed ?? Math.floor(Math.random() * 2 ** 31) };
  const plans = generators.map((generator) => {
    const problem = capabilityProblem(generator, seeded);
    return { generator, problem, calls: problem ? [] : splitIntoCalls(generator, seeded) };
  });
  const calls: CallProgress = {
    started: 0,
    finished: 0,
    total: plans.reduce((n, p) => n + p.calls.length, 0),
  };
  const track = (change: 'started' | 'finished'): void => {
    calls[change]++;
    options.onCalls?.({ ...calls });
  };
  const results = await Promise.all(
    plans.map((plan) => {
      const signal = AbortSignal.any([
        ...callerSignal,
        deadline,
        AbortSignal.timeout(options.perGeneratorTimeoutMs),
      ]);
      return runGenerator(plan, signal, options, track);
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

interface GeneratorPlan {
  generator: ImageGenerator;
  /** Why it cannot serve the request at all, or null. */
  problem: GeneratorError | null;
  calls: GenerationRequest[];
}

async function runGenerator(
  { generator, problem, calls }: GeneratorPlan,
  signal: AbortSignal,
  options: FanOutOptions,
  track: (change: 'started' | 'finished') => void,
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
  if (problem) {
    fail(problem);
  } else {
    await forEachLimited(calls, options.callConcurrency, async (call) => {
      if (signal.aborted) return fail(signal.reason);
      const callStarted = performance.now();
      track('started');
      try {
        const images = await untilAborted(
          generator.generate(call, { signal, onRetry: () => void retries++ }),
          signal,
        );
        const latencyMs = performance.now() - callStarted;
        // Checked side by side (each is a full decode), kept in the order the generator returned them.
        const checks = await Promise.allSettled(
          images
            .slice(0, call.count)
            .map((image) => checkGeneratedImage(generator.id, image, options.imageLimits)),
        );
        checks.forEach((check, i) => {
          if (check.status === 'rejected') return fail(check.reason);
          candidates.push(toCandidate(generator, images[i]!, check.value, latencyMs));
        });
      } catch (error) {
        fail(error);
      }
      track('finished');
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
  generated: GeneratedImage,
  image: VerifiedImage,
  latencyMs: number,
): Candidate {
  return {
    generatorId: generator.id,
    kind: generator.kind,
    image,
    seed: generated.seed,
    parameters: generated.parameters,
    model: generated.model,
    latencyMs,
  };
}

/** Why a generator cannot serve this request at all, or null. */
function capabilityProblem(generator: ImageGenerator, request: GenerationRequest): GeneratorError | null {
  const caps = generator.capabilities;
  if (request.image && !caps.imageToImage) {
    return new GeneratorError('UNSUPPORTED', `${generator.id} does not edit images (no image-to-image)`);
  }
  if (request.mask && !(request.image && caps.inpainting)) {
    return new GeneratorError('UNSUPPORTED', `${generator.id} does not inpaint (no capabilities.inpainting)`);
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
