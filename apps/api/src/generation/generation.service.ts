import { randomUUID } from 'node:crypto';
import { type GeneratorRegistry } from '#generators';
import { generateAndRerank } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { AssetService } from '../assets/asset-service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';
import { GENERATOR_REGISTRY } from '../generators/generators.providers.js';
import { assetView } from '../images/asset-view.js';
import { InputLimits } from '../limits/input-limits.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { AssetIndexService } from '../retrieval/asset-index.service.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import type { GenerateInput, GenerationResult } from './generation.types.js';

const DEFAULT_COUNT = 4;

/** Generate and rerank: ask the generators, rank every candidate with CLIP, store each as an asset. */
@Injectable()
export class GenerationService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GENERATOR_REGISTRY) private readonly registry: GeneratorRegistry,
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(AssetIndexService) private readonly index: AssetIndexService,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  async generate(input: GenerateInput, signal: AbortSignal): Promise<GenerationResult> {
    const prompt = this.limits.prompt(input.prompt, 'prompt');
    const negativePrompt = input.negativePrompt
      ? this.limits.prompt(input.negativePrompt, 'negativePrompt')
      : undefined;
    const generators = this.registry.select(input.generators);
    const count = input.count ?? DEFAULT_COUNT;
    this.limits.candidates(count, generators.length);
    if (
      input.diversity !== null &&
      input.diversity !== undefined &&
      !(input.diversity >= 0 && input.diversity <= 1)
    ) {
      throw new ApiError('BAD_REQUEST', 'diversity must be between 0 and 1');
    }
    const clip = this.work.clip;
    const { ranked, errors, outcomes } = await generateAndRerank(
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
      },
      { ...this.config.file.fanOut, imageLimits: this.limits.imageLimits, signal },
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
      const { generatorId, seed, parameters, model } = r.item;
      const record = await this.assets.store(r.item.bytes, {
        source: 'generated',
        prompt,
        generatorId,
        seed,
        parameters: { ...parameters, model },
        scores: { ...r.scores },
        generationId: id,
      });
      this.index.add(record.id, r.embedding);
      candidates.push({
        rank: r.rank,
        generator: generatorId,
        seed,
        model,
        parameters,
        asset: assetView(record),
        scores: r.scores,
      });
    }
    return {
      id,
      candidates,
      errors: errors.map((e) => ({
        generator: e.generatorId,
        code: e.code,
        message: e.message,
        retries: e.retries,
      })),
    };
  }
}
