import { classify } from '#guidance';
import { Inject } from '@nestjs/common';
import { Args, Context, Field, Float, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { IncomingMessage } from 'node:http';
import { requestSignal } from '../http/request-signal.js';
import { ImageInputService } from '../images/image-input.service.js';
import { ImageInput } from '../images/image-input.type.js';
import { InputLimits } from '../limits/input-limits.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';

@ObjectType()
export class LabelScore {
  @Field(() => String) label!: string;
  @Field(() => Float, { description: 'Softmax over the labels at the model’s logit scale (÷ temperature).' })
  probability!: number;
  @Field(() => Float, { description: 'Cosine of the image and the label’s template ensemble.' })
  similarity!: number;
}

@Resolver()
export class ClassificationResolver {
  constructor(
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
    @Inject(ImageInputService) private readonly images: ImageInputService,
    @Inject(InputLimits) private readonly limits: InputLimits,
  ) {}

  @Query(() => [LabelScore], {
    description: 'Zero-shot classification with prompt-template ensembles, best first.',
  })
  async classify(
    @Args('image', { type: () => ImageInput }) image: ImageInput,
    @Args('labels', { type: () => [String] }) labels: string[],
    @Args('templates', {
      type: () => [String],
      nullable: true,
      description: 'Templates with {} for the label; default a photo/picture/rendering/… of {}.',
    })
    templates: string[] | null | undefined,
    @Args('temperature', { type: () => Float, nullable: true }) temperature: number | null | undefined,
    @Context('req') req: IncomingMessage,
  ): Promise<LabelScore[]> {
    const names = this.limits.items(labels, 'labels', 2).map((l, i) => this.limits.prompt(l, `labels[${i}]`));
    if (templates) this.limits.items(templates, 'templates');
    if (temperature !== null && temperature !== undefined && !(temperature > 0)) {
      throw new RangeError('temperature must be positive');
    }
    const { bytes } = await this.images.resolve(image, requestSignal(req));
    return classify(this.work.clip, bytes, names, {
      templates: templates ?? undefined,
      temperature: temperature ?? undefined,
    });
  }
}
