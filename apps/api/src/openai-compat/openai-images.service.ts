import { buffer } from 'node:stream/consumers';
import { GeneratorError, type ImageGenerator } from '#generators';
import { Inject, Injectable } from '@nestjs/common';
import { AssetService } from '../assets/asset-service.js';
import { AssetUrls } from '../assets/asset-urls.js';
import { APP_CONFIG, type AppConfig, imageLimitsOf } from '../config/app-config.js';
import { EditService } from '../edits/edit.service.js';
import { EditMode } from '../edits/edit.types.js';
import { ApiError, toApiError } from '../errors/api-error.js';
import { GenerationService } from '../generation/generation.service.js';
import type { GeneratorErrorType } from '../generation/generation.types.js';
import { GeneratorsService } from '../generators/generators.service.js';
import type { Asset } from '../images/asset.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { editableFromAlpha } from './alpha-mask.js';
import { absoluteAssetUrl } from './asset-url.js';
import { atRequestedSize } from './edit-size.js';
import {
  CLIPSMITH_MODEL,
  type EditRequest,
  type GenerationRequest,
  InvalidParamError,
  type ResponseFormat,
  type Size,
} from './openai-request.js';
import {
  editedItem,
  type EditedDetails,
  generatedItem,
  type GeneratedDetails,
  type ImagePayload,
  type ImagesResponse,
  imagesResponse,
  type ModelEntry,
  modelEntries,
} from './openai-response.js';

/** The files of an edit request. */
export interface EditFiles {
  images: readonly Buffer[];
  /** OpenAI's mask: transparent marks what may change. */
  mask: Buffer | null;
}

/** Where the answer's images live: `url` answers point at this origin. */
export interface AnswerContext {
  origin: string;
  signal: AbortSignal;
}

/**
 * OpenAI's images API over clipsmith's own services: generations are best-of-N reranked by CLIP, edits are
 * CLIP-verified. Every limit is the one the GraphQL API applies, since the same services apply them.
 */
@Injectable()
export class OpenAiImagesService {
  /** What `GET /v1/models` says the models were made: when this server started. */
  private readonly started = Math.floor(Date.now() / 1000);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(GenerationService) private readonly generation: GenerationService,
    @Inject(EditService) private readonly edits: EditService,
    @Inject(GeneratorsService) private readonly generators: GeneratorsService,
    @Inject(AssetService) private readonly assets: AssetService,
    @Inject(AssetUrls) private readonly urls: AssetUrls,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  /** Asks for `n × best_of` candidates, ranks them all with CLIP, answers the best `n`. */
  async generate(
    request: GenerationRequest,
    { origin, signal }: AnswerContext,
  ): Promise<ImagesResponse<GeneratedDetails>> {
    const generators = request.model
      ? [this.textToImage(this.model(request.model))]
      : this.generators.list().filter((g) => g.capabilities.textToImage);
    if (generators.length === 0)
      throw new ApiError('BAD_REQUEST', 'no configured generator makes images from text');
    if (request.size) this.checkPixels(request.size);
    const result = await this.generation.generate(
      {
        prompt: request.prompt,
        negativePrompt: request.negativePrompt,
        count: this.countPerGenerator(request.n, request.bestOf, generators.length),
        generators: generators.map((g) => g.id),
        width: request.size?.width ?? null,
        height: request.size?.height ?? null,
        seed: request.seed,
      },
      signal,
    );
    const best = result.candidates.slice(0, request.n);
    if (best.length === 0) throw noCandidates(result.errors);
    const data = [];
    for (const candidate of best) {
      data.push(
        generatedItem(candidate, await this.payload(candidate.asset, request.responseFormat, origin)),
      );
    }
    return imagesResponse(data);
  }

  /**
   * Edits each image toward the prompt: clipsmith's CLIP-steered operator search, or with a generator id
   * as the model, that generator's image-to-image ranked by the same CLIP criteria. Each image answers up
   * to `n` edits that look clearly different, best first (accepted ones first); fewer when the search
   * found fewer. With a `size`, each image is brought to it before the edit.
   */
  async edit(
    request: EditRequest,
    files: EditFiles,
    { origin, signal }: AnswerContext,
  ): Promise<ImagesResponse<EditedDetails>> {
    if (files.images.length === 0) {
      throw new InvalidParamError(
        'image',
        'send the image to edit as the file field "image" (several: "image[]")',
      );
    }
    const maxFiles = this.config.limits.maxUploadFiles;
    if (files.images.length > maxFiles) {
      throw new InvalidParamError(
        'image',
        `${files.images.length} images were sent; the limit is ${maxFiles} (MAX_UPLOAD_FILES)`,
        'TOO_MANY_ITEMS',
      );
    }
    // Checked here as well, so a too-long prompt and too many edits are named as this API names them.
    const prompt = this.limits.prompt(request.prompt, 'prompt');
    this.checkEditCount(request.n);
    if (request.size) this.checkPixels(request.size);
    const generator = request.model ? this.imageToImage(this.model(request.model)) : null;
    const mask = files.mask && (await editableFromAlpha(files.mask, imageLimitsOf(this.config.limits)));
    const data = [];
    // One image at a time: a single edit search already keeps the model queue busy.
    for (const [index, image] of files.images.entries()) {
      const source = await atRequestedSize(image, request.size, this.limits.imageLimits);
      const result = await this.edits.edit(
        {
          image: { base64: source.toString('base64') },
          instruction: prompt,
          mode: generator ? EditMode.GENERATOR : EditMode.OPERATORS,
          generators: generator ? [generator.id] : null,
          mask: mask && { base64: mask.toString('base64') },
          alternatives: request.n - 1,
        },
        signal,
      );
      for (const [i, edit] of [result, ...result.alternatives].entries()) {
        const payload = await this.payload(edit.asset, request.responseFormat, origin);
        data.push(editedItem(edit, { image: index, rank: i + 1 }, payload));
      }
    }
    return imagesResponse(data);
  }

  /** `clipsmith` and every configured generator. */
  listModels(): ModelEntry[] {
    return modelEntries(this.generators.list(), this.started);
  }

  retrieveModel(id: string): ModelEntry {
    const entries = this.listModels();
    return entries.find((m) => m.id === id) ?? this.notFound(id);
  }

  /** The generator a request names as its model. */
  private model(id: string): ImageGenerator {
    return this.generators.list().find((g) => g.id === id) ?? this.notFound(id);
  }

  private textToImage(generator: ImageGenerator): ImageGenerator {
    if (generator.capabilities.textToImage) return generator;
    throw new InvalidParamError(
      'model',
      `${generator.id} only edits images: use it with /v1/images/edits, or pick another model`,
    );
  }

  private imageToImage(generator: ImageGenerator): ImageGenerator {
    if (generator.capabilities.imageToImage) return generator;
    throw new InvalidParamError(
      'model',
      `${generator.id} does not edit images: use it with /v1/images/generations, or edit with ${CLIPSMITH_MODEL}`,
    );
  }

  private notFound(id: string): never {
    throw new InvalidParamError(
      'model',
      `the model "${id}" does not exist here; GET /v1/models lists ${CLIPSMITH_MODEL} and the configured generators`,
      'NOT_FOUND',
    );
  }

  /**
   * Candidates to ask each generator for: `n × best_of` shared among them. Without a `best_of`, the
   * configured default shrinks to fit MAX_CANDIDATES rather than refuse a request that names none.
   */
  private countPerGenerator(n: number, bestOf: number | null, generators: number): number {
    const perGenerator = (b: number) => Math.ceil((n * b) / generators);
    if (bestOf !== null) return perGenerator(bestOf);
    const fitting = Math.floor(this.config.limits.maxCandidates / generators);
    return Math.max(Math.min(perGenerator(this.config.openAiCompat.bestOf), fitting), perGenerator(1));
  }

  /** `n` edits of an image are stored as candidates are: at most MAX_CANDIDATES, as EditService allows. */
  private checkEditCount(n: number): void {
    const max = this.config.limits.maxCandidates;
    if (n > max) {
      throw new InvalidParamError(
        'n',
        `n is ${n}; an edit answers at most ${max} images for each image sent (MAX_CANDIDATES)`,
        'TOO_MANY_ITEMS',
      );
    }
  }

  /** A size over MAX_IMAGE_PIXELS is refused before any generator is asked to make it, or any edit made. */
  private checkPixels({ width, height }: Size): void {
    const max = this.config.limits.maxImagePixels;
    if (width * height > max) {
      throw new InvalidParamError(
        'size',
        `${width}x${height} is ${width * height} pixels; the limit is ${max} (MAX_IMAGE_PIXELS)`,
        'IMAGE_TOO_LARGE',
      );
    }
  }

  private async payload(asset: Asset, format: ResponseFormat, origin: string): Promise<ImagePayload> {
    if (format === 'url') return { url: absoluteAssetUrl(this.urls.urlOf(asset.id), origin) };
    const opened = await this.assets.open(asset.id);
    if (!opened) throw new Error(`asset ${asset.id} was stored but cannot be read back`);
    return { b64_json: (await buffer(opened.stream)).toString('base64') };
  }
}

/** No generator returned an image: the first failure says why (a size none makes: 400; an outage: 502). */
function noCandidates(errors: readonly GeneratorErrorType[]): Error {
  const first = errors[0];
  if (!first) return new GeneratorError('GENERATOR_FAILED', 'no generator returned an image');
  const detail = errors.map((e) => `${e.generator}: ${e.message}`).join('; ');
  return toApiError(new GeneratorError(first.code as GeneratorError['code'], detail));
}
