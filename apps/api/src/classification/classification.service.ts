import { classify, type LabelScore } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../errors/api-error.js';
import { ImageInputService } from '../images/image-input.service.js';
import type { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';

export interface ClassifyRequest {
  image: ImageInput;
  labels: readonly string[];
  /** Templates with {} for the label; default a photo/picture/rendering/… of {}. */
  templates?: readonly string[] | null;
  temperature?: number | null;
}

/** Zero-shot classification: which label fits the image, with prompt-template ensembles. */
@Injectable()
export class ClassificationService {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  async classify(request: ClassifyRequest, signal: AbortSignal): Promise<LabelScore[]> {
    const labels = this.limits
      .items(request.labels, 'labels', 2)
      .map((l, i) => this.limits.prompt(l, `labels[${i}]`));
    const templates = request.templates ? this.limits.items(request.templates, 'templates') : undefined;
    const temperature = request.temperature ?? undefined;
    if (temperature !== undefined && !(temperature > 0)) {
      throw new ApiError('BAD_REQUEST', 'temperature must be positive');
    }
    const { image } = await this.images.resolve(request.image, signal);
    return classify(this.work.clip, image, labels, { templates, temperature });
  }
}
