import { randomUUID } from 'node:crypto';
import { generateAndRerank } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { AssetService } from '../assets/asset-service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';
import { GeneratorsService } from '../generators/generators.service.js';
import { assetView } from '../images/asset-view.js';
import type { OnProgress } from '../jobs/job-record.js';
import { InputLimits } from '../limits/input-limits.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { watchedClip } from '../work-queue/watched-clip.js';
import type { GenerateInput, GenerationResult } from './generation.types.js';

export const DEFAULT_COUNT = 4;

/** Generate and rerank: ask the generators, rank every candidate with CLIP, store each as an asset. */
@Injectable()
export class GenerationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GeneratorsService) private readonly generators: GeneratorsService,
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  /**
   * Checks a request (a bad one fails here, before it is queued) and fixes the seed, so a job that is
   * run again after its node died makes the same candidates, stored as the same assets.
   */
  check(input: GenerateInput): GenerateInput {
    this.plan(input);
    return { ...input, seed: input.seed ?? Math.floor(Math.random() * 2 ** 31) };
  }

  /**
   * Generates, ranks and stores, telling `onProgress` of each generator call, candidate scored and
   * asset stored. When `signal` aborts, outstanding generator calls are cancelled and what was stored
   * by then is the result.
   */
  async generate(
    input: GenerateInput,
    signal: AbortSignal,
    onProgress?: OnProgress,
  ): Promise<GenerationResult> {
    const { prompt, negativePrompt, generators, count } = this.plan(input);
    const clip = watchedClip(this.work.clip, signal, (done, total) =>
      onProgress?.({ stage: 'scoring', done, total }),
    );
    const { ranked, droppedBelowPercentile, errors, outcomes } = await generateAndRerank(
      clip,
      generators,
      {
        prompt,
        negativePrompt,
        count,
        width: input.width ?? undefined,
        height: input.height ?? undefined,
        seed: input.seed ?? undefined,
        diversity: input.diversity ?? undefined,
        minPercentile: input.minPercentile ?? undefined,
      },
      {
        ...this.config.file.fanOut,
        imageLimits: this.limits.imageLimits,
        signal,
        onCalls: (calls) => onProgress?.({ stage: 'generating', done: calls.finished, total: calls.total }),
      },
    );
    for (const outcome of outcomes) {
      this.metrics.generatorSeconds.observe({ generator: outcome.generatorId }, outcome.latencyMs / 1000);
      this.metrics.generatorRetries.inc({ generator: outcome.generatorId }, outcome.retries);
    }
    for (const error of errors)
      this.metrics.generatorErrors.inc({ generator: error.generatorId, code: error.code });
    const id = randomUUID();
    const candidates = [];
    for (const r of ranked) {
      if (signal.aborted) break;
      const { generatorId, seed, parameters, model } = r.item;
      const record = await this.assets.store(
        r.item.image,
        {
          source: 'generated',
          prompt,
          generatorId,
          seed,
          parameters: { ...parameters, model },
          scores: { ...r.scores },
          generationId: id,
        },
        { modelKey: this.work.modelKey, vector: r.embedding },
      );
      candidates.push({
        rank: r.rank,
        generator: generatorId,
        seed,
        model,
        parameters,
        asset: assetView(record),
        scores: r.scores,
      });
      onProgress?.({ stage: 'storing', done: candidates.length, total: ranked.length });
    }
    return {
      id,
      candidates,
      droppedBelowPercentile,
      errors: errors.map((e) => ({
        generator: e.generatorId,
        code: e.code,
        message: e.message,
        retries: e.retries,
      })),
    };
  }

  /** The request's checked prompt texts and generators; throws the error a client sees. */
  private plan(input: GenerateInput) {
    const prompt = this.limits.prompt(input.prompt, 'prompt');
    const negativePrompt = input.negativePrompt
      ? this.limits.prompt(input.negativePrompt, 'negativePrompt')
      : undefined;
    const generators = this.generators.select(input.generators);
    const count = input.count ?? DEFAULT_COUNT;
    this.limits.candidates(count, generators.length);
    if (
      input.diversity !== null &&
      input.diversity !== undefined &&
      !(input.diversity >= 0 && input.diversity <= 1)
    ) {
      throw new ApiError('BAD_REQUEST', 'diversity must be between 0 and 1');
    }
    return { prompt, negativePrompt, generators, count };
  }
}
