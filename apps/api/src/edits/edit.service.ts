import { type GeneratorRegistry } from '#generators';
import { editImage, editWithGenerators } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { AssetService } from '../assets/asset-service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';
import { GENERATOR_REGISTRY } from '../generators/generators.providers.js';
import { assetView } from '../images/asset-view.js';
import { ImageInputService } from '../images/image-input.service.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { EditMode, type EditImageInput, type EditResult } from './edit.types.js';

/** Text-guided edits steered by CLIP, stored as assets edited from their source. */
@Injectable()
export class EditService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GENERATOR_REGISTRY) private readonly registry: GeneratorRegistry,
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  async edit(input: EditImageInput, signal: AbortSignal): Promise<EditResult> {
    const instruction = this.limits.prompt(input.instruction, 'instruction');
    const budget = input.budget ?? undefined;
    const max = this.config.limits.maxEditBudget;
    if (budget !== undefined && !(Number.isInteger(budget) && budget >= 4 && budget <= max)) {
      throw new ApiError('BAD_REQUEST', `budget must be an integer from 4 to ${max} (MAX_EDIT_BUDGET)`);
    }
    const source = await this.images.resolve(input.image, signal);
    const sourceAsset = source.assetId ?? (await this.assets.store(source.bytes, { source: 'uploaded' })).id;
    const overrides = {
      ...(input.sourceText ? { sourceText: this.limits.prompt(input.sourceText, 'sourceText') } : {}),
      ...(input.targetText ? { targetText: this.limits.prompt(input.targetText, 'targetText') } : {}),
      ...(input.preservationFloor !== null && input.preservationFloor !== undefined
        ? { preservationFloor: input.preservationFloor }
        : {}),
      ...(input.acceptThreshold !== null && input.acceptThreshold !== undefined
        ? { acceptThreshold: input.acceptThreshold }
        : {}),
    };
    const editors = this.registry.select(input.generators).filter((g) => g.capabilities.imageToImage);
    const mode =
      input.mode === EditMode.AUTO
        ? editors.length > 0
          ? EditMode.GENERATOR
          : EditMode.OPERATORS
        : (input.mode ?? EditMode.OPERATORS);
    return mode === EditMode.GENERATOR
      ? this.withGenerators(source.bytes, sourceAsset, instruction, editors, budget, overrides, signal)
      : this.withOperators(source.bytes, sourceAsset, instruction, budget, overrides);
  }

  private async withOperators(
    bytes: Buffer,
    sourceAsset: string,
    instruction: string,
    budget: number | undefined,
    overrides: Record<string, unknown>,
  ): Promise<EditResult> {
    const result = await editImage(this.work.clip, bytes, instruction, {
      ...overrides,
      ...(budget ? { budget } : {}),
      imageLimits: this.limits.imageLimits,
    });
    const asset = await this.assets.store(result.bytes, {
      source: 'edited',
      prompt: instruction,
      parameters: {
        mode: 'OPERATORS',
        operations: result.operations,
        sourceText: result.sourceText,
        targetText: result.targetText,
      },
      scores: {
        directionalSimilarity: result.directionalSimilarity,
        preservation: result.preservation,
        targetSimilarity: result.targetSimilarity,
      },
      editedFrom: sourceAsset,
    });
    return {
      accepted: result.accepted,
      directionalSimilarity: result.directionalSimilarity,
      preservation: result.preservation,
      targetSimilarity: result.targetSimilarity,
      asset: assetView(asset),
      operations: result.operations.map((o) => ({ name: o.name, params: { ...o.params } })),
      mode: 'OPERATORS',
      sourceText: result.sourceText,
      targetText: result.targetText,
      steps: result.steps.map((s) => ({
        ...s,
        operations: s.operations.map((o) => ({ name: o.name, params: { ...o.params } })),
      })),
      evaluations: result.evaluations,
      generator: null,
      errors: [],
    };
  }

  private async withGenerators(
    bytes: Buffer,
    sourceAsset: string,
    instruction: string,
    editors: ReturnType<GeneratorRegistry['list']>,
    tries: number | undefined,
    overrides: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<EditResult> {
    if (editors.length === 0)
      throw new ApiError('BAD_REQUEST', 'no configured generator edits images (image-to-image)');
    const result = await editWithGenerators(this.work.clip, editors, bytes, instruction, {
      ...overrides,
      tries: Math.min(tries ?? 4, this.config.limits.maxCandidates),
      fanOut: { ...this.config.file.fanOut, imageLimits: this.limits.imageLimits, signal },
    });
    const errors = result.errors.map((e) => ({
      generator: e.generatorId,
      code: e.code,
      message: e.message,
      retries: e.retries,
    }));
    const best = result.best ?? result.ranked[0];
    if (!best)
      throw new ApiError(
        'GENERATOR_FAILED',
        `no generator returned an edit: ${errors.map((e) => e.message).join('; ')}`,
      );
    const asset = await this.assets.store(best.candidate.bytes, {
      source: 'edited',
      prompt: instruction,
      generatorId: best.candidate.generatorId,
      seed: best.candidate.seed,
      parameters: { mode: 'GENERATOR', ...best.candidate.parameters },
      scores: { ...best.scores },
      editedFrom: sourceAsset,
    });
    return {
      accepted: result.best?.accepted ?? false,
      ...best.scores,
      asset: assetView(asset),
      operations: [],
      mode: 'GENERATOR',
      sourceText: result.sourceText,
      targetText: result.targetText,
      steps: result.ranked.map((r) => ({
        stage: `try ${r.rank}`,
        operations: [],
        ...r.scores,
        keepsImage: r.keepsImage,
      })),
      evaluations: result.ranked.length,
      generator: best.candidate.generatorId,
      errors,
    };
  }
}
