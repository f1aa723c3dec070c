import { dot, type VerifiedImage } from '#clip';
import type { ImageGenerator } from '#generators';
import { type EditChoice, editImage, editWithGenerators, type GeneratorEdit } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { AssetService } from '../assets/asset-service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';
import { GeneratorsService } from '../generators/generators.service.js';
import { assetView } from '../images/asset-view.js';
import { ImageInputService, type ResolvedImage } from '../images/image-input.service.js';
import type { ImageInput } from '../images/image-input.type.js';
import type { OnProgress } from '../jobs/job-record.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';
import { watchedClip } from '../work-queue/watched-clip.js';
import {
  type EditAlternative,
  EditMode,
  type EditImageInput,
  type EditRegion,
  type EditResult,
} from './edit.types.js';

/** Text-guided edits steered by CLIP, stored as assets edited from their source. */
@Injectable()
export class EditService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GeneratorsService) private readonly generators: GeneratorsService,
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  /**
   * Checks the whole request, then stores its images as assets (a base64, URL or upload input becomes
   * an uploaded asset): what a job keeps as its input, so a rerun needs nothing from the request.
   * Nothing is fetched or stored for a request that cannot run.
   */
  async prepare(input: EditImageInput, signal: AbortSignal): Promise<EditImageInput> {
    this.plan(input);
    const stored = async (image: ImageInput): Promise<ImageInput> => {
      const resolved = await this.images.resolve(image, signal);
      const assetId = await this.sourceAsset(resolved);
      this.images.handOff(assetId, resolved.image);
      return { assetId };
    };
    return { ...input, image: await stored(input.image), mask: input.mask ? await stored(input.mask) : null };
  }

  /**
   * Checks the whole request first (nothing is fetched or stored for a request that cannot run), then
   * edits, then stores the source (when it was not an asset already) and the edit made from it.
   * `onProgress` hears each evaluation of the budget spent (or each generator call and edit scored);
   * when `signal` aborts, the search and outstanding generator calls stop.
   */
  async edit(input: EditImageInput, signal: AbortSignal, onProgress?: OnProgress): Promise<EditResult> {
    const { instruction, budget, overrides, editors, mode, alternatives } = this.plan(input);
    const source = await this.images.resolve(input.image, signal);
    const mask = input.mask ? (await this.images.resolve(input.mask, signal)).image : undefined;
    const options = { ...overrides, mask, alternatives };
    return mode === EditMode.GENERATOR
      ? this.withGenerators(source, instruction, editors, budget, options, signal, onProgress)
      : this.withOperators(source, instruction, budget, options, signal, onProgress);
  }

  /** The request's checked settings; throws the error a client sees. */
  private plan(input: EditImageInput) {
    const instruction = this.limits.prompt(input.instruction, 'instruction');
    const budget = input.budget ?? undefined;
    const max = this.config.limits.maxEditBudget;
    if (budget !== undefined && !(Number.isInteger(budget) && budget >= 4 && budget <= max)) {
      throw new ApiError('BAD_REQUEST', `budget must be an integer from 4 to ${max} (MAX_EDIT_BUDGET)`);
    }
    const overrides = {
      ...(input.sourceText ? { sourceText: this.limits.prompt(input.sourceText, 'sourceText') } : {}),
      ...(input.targetText ? { targetText: this.limits.prompt(input.targetText, 'targetText') } : {}),
      ...(input.preservationFloor !== null && input.preservationFloor !== undefined
        ? { preservationFloor: input.preservationFloor }
        : {}),
      ...(input.acceptThreshold !== null && input.acceptThreshold !== undefined
        ? { acceptThreshold: input.acceptThreshold }
        : {}),
      ...(input.maxOutsideChange !== null && input.maxOutsideChange !== undefined
        ? { maxOutsideChange: input.maxOutsideChange }
        : {}),
    };
    const editors = this.generators.editors(input.generators);
    const mode =
      input.mode === EditMode.AUTO
        ? editors.length > 0
          ? EditMode.GENERATOR
          : EditMode.OPERATORS
        : (input.mode ?? EditMode.OPERATORS);
    if (mode === EditMode.GENERATOR && editors.length === 0)
      throw new ApiError('BAD_REQUEST', 'no configured generator edits images (image-to-image)');
    return { instruction, budget, overrides, editors, mode, alternatives: this.alternatives(input) };
  }

  /** Edits beside the chosen one: with it, at most MAX_CANDIDATES, each stored as a candidate is. */
  private alternatives(input: EditImageInput): number {
    const alternatives = input.alternatives ?? 0;
    const max = this.config.limits.maxCandidates - 1;
    if (!Number.isInteger(alternatives) || alternatives < 0 || alternatives > max) {
      throw new ApiError(
        alternatives > max ? 'TOO_MANY_ITEMS' : 'BAD_REQUEST',
        `alternatives must be a whole number from 0 to ${max}: with the edit chosen, at most MAX_CANDIDATES edits`,
      );
    }
    return alternatives;
  }

  /** The asset an edit is made from: the one the request named, or its image stored as an upload. */
  private async sourceAsset(source: ResolvedImage): Promise<string> {
    return source.assetId ?? (await this.assets.store(source.image, { source: 'uploaded' })).id;
  }

  /** The mask an edit was confined to, stored beside the edit so a caller can look at it or reuse it. */
  private async storeMask(
    area: { mask: VerifiedImage; region: EditRegion; source: string } | null,
    sourceAsset: string,
    instruction: string,
  ): Promise<Pick<EditResult, 'mask' | 'region'>> {
    if (!area) return { mask: null, region: null };
    const stored = await this.assets.store(area.mask, {
      source: 'edited',
      prompt: instruction,
      parameters: { kind: 'edit-mask', from: area.source, region: { ...area.region } },
      editedFrom: sourceAsset,
    });
    return { mask: assetView(stored), region: { ...area.region } };
  }

  private async withOperators(
    source: ResolvedImage,
    instruction: string,
    budget: number | undefined,
    options: Record<string, unknown>,
    signal: AbortSignal,
    onProgress: OnProgress | undefined,
  ): Promise<EditResult> {
    const result = await editImage(watchedClip(this.work.clip, signal), source.image, instruction, {
      ...options,
      ...(budget ? { budget } : {}),
      imageLimits: this.limits.imageLimits,
      signal,
      onEvaluations: (done, total) => onProgress?.({ stage: 'evaluating', done, total }),
    });
    const editedFrom = await this.sourceAsset(source);
    const stored = async (choice: EditChoice): Promise<EditAlternative> => {
      const asset = await this.assets.store(choice, {
        source: 'edited',
        prompt: instruction,
        parameters: {
          mode: 'OPERATORS',
          operations: choice.operations,
          ...(result.area ? { region: result.area.region, outsideChange: choice.outsideChange } : {}),
          sourceText: result.sourceText,
          targetText: result.targetText,
        },
        scores: {
          directionalSimilarity: choice.directionalSimilarity,
          preservation: choice.preservation,
          targetSimilarity: choice.targetSimilarity,
        },
        editedFrom,
      });
      return {
        accepted: choice.accepted,
        directionalSimilarity: choice.directionalSimilarity,
        preservation: choice.preservation,
        targetSimilarity: choice.targetSimilarity,
        asset: assetView(asset),
        operations: choice.operations.map((o) => ({ name: o.name, params: { ...o.params } })),
        generator: null,
        outsideChange: choice.outsideChange,
      };
    };
    return {
      ...(await stored(result)),
      mode: 'OPERATORS',
      sourceText: result.sourceText,
      targetText: result.targetText,
      steps: result.steps.map((s) => ({
        ...s,
        operations: s.operations.map((o) => ({ name: o.name, params: { ...o.params } })),
      })),
      evaluations: result.evaluations,
      errors: [],
      part: result.part,
      ...(await this.storeMask(result.area, editedFrom, instruction)),
      reason: result.reason,
      alternatives: await Promise.all(result.alternatives.map(stored)),
    };
  }

  private async withGenerators(
    source: ResolvedImage,
    instruction: string,
    editors: readonly ImageGenerator[],
    tries: number | undefined,
    options: Record<string, unknown> & { alternatives: number },
    signal: AbortSignal,
    onProgress: OnProgress | undefined,
  ): Promise<EditResult> {
    const clip = watchedClip(this.work.clip, signal, (done, total) =>
      onProgress?.({ stage: 'scoring', done, total }),
    );
    // Without a budget, enough tries that every edit asked for can be a different one.
    const triesPerEditor =
      tries ?? Math.max(DEFAULT_TRIES, Math.ceil((1 + options.alternatives) / editors.length));
    const result = await editWithGenerators(clip, editors, source.image, instruction, {
      ...options,
      tries: Math.min(triesPerEditor, this.config.limits.maxCandidates),
      fanOut: {
        ...this.config.file.fanOut,
        imageLimits: this.limits.imageLimits,
        signal,
        onCalls: (calls) => onProgress?.({ stage: 'generating', done: calls.finished, total: calls.total }),
      },
    });
    signal.throwIfAborted();
    const errors = result.errors.map((e) => ({
      generator: e.generatorId,
      code: e.code,
      message: e.message,
      retries: e.retries,
    }));
    if (result.reason) return this.unedited(source, result);
    const [best, ...others] = result.picked;
    if (!best)
      throw new ApiError(
        'GENERATOR_FAILED',
        `no generator returned an edit: ${errors.map((e) => e.message).join('; ')}`,
      );
    const editedFrom = await this.sourceAsset(source);
    const stored = async (edit: GeneratorEdit): Promise<EditAlternative> => {
      const asset = await this.assets.store(edit.candidate.image, {
        source: 'edited',
        prompt: instruction,
        generatorId: edit.candidate.generatorId,
        seed: edit.candidate.seed,
        parameters: { mode: 'GENERATOR', ...edit.candidate.parameters },
        scores: { ...edit.scores },
        editedFrom,
      });
      return {
        accepted: edit.accepted,
        ...edit.scores,
        asset: assetView(asset),
        operations: [],
        generator: edit.candidate.generatorId,
        outsideChange: edit.outsideChange,
      };
    };
    return {
      ...(await stored(best)),
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
      errors,
      part: result.area?.part ?? null,
      ...(await this.storeMask(result.area, editedFrom, instruction)),
      reason: null,
      alternatives: await Promise.all(others.map(stored)),
    };
  }

  /** A part the instruction names that is not there: no generator was asked, the picture stays as it was. */
  private async unedited(
    source: ResolvedImage,
    result: { sourceText: string; targetText: string; reason: string | null },
  ): Promise<EditResult> {
    const editedFrom = await this.sourceAsset(source);
    const [[target], [image]] = await Promise.all([
      this.work.clip.embedTexts([result.targetText]),
      this.work.clip.embedImages([source.image]),
    ]);
    return {
      accepted: false,
      directionalSimilarity: 0,
      preservation: 1,
      targetSimilarity: dot(image!, target!),
      asset: assetView((await this.assets.get(editedFrom))!),
      operations: [],
      mode: 'GENERATOR',
      sourceText: result.sourceText,
      targetText: result.targetText,
      steps: [],
      evaluations: 0,
      generator: null,
      errors: [],
      part: null,
      mask: null,
      region: null,
      outsideChange: null,
      reason: result.reason,
      alternatives: [],
    };
  }
}

/** Tries per generator when a generator-mode request sets no budget. */
const DEFAULT_TRIES = 4;
