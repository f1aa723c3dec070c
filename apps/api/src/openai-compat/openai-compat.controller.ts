import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  UploadedFiles,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { AnyFilesInterceptor } from '@nestjs/platform-express';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { requestSignal } from '../http/request-signal.js';
import { requestOrigin } from './asset-url.js';
import { OpenAiExceptionFilter } from './openai-exception.filter.js';
import { type EditFiles, OpenAiImagesService, type AnswerContext } from './openai-images.service.js';
import { InvalidParamError, parseEditRequest, parseGenerationRequest } from './openai-request.js';
import type { EditedDetails, GeneratedDetails, ImagesResponse, ModelEntry } from './openai-response.js';

/** What multer's memory storage hands over (its limits come from OpenAiCompatModule). */
interface UploadedPart {
  fieldname: string;
  buffer: Buffer;
}

/** OpenAI's images and models routes, so any OpenAI client works by changing its base URL. */
@Controller('v1')
@UseFilters(OpenAiExceptionFilter)
export class OpenAiCompatController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(OpenAiImagesService) private readonly images: OpenAiImagesService,
  ) {}

  @Post('images/generations')
  @HttpCode(200)
  generate(@Body() body: unknown, @Req() req: Request): Promise<ImagesResponse<GeneratedDetails>> {
    return this.images.generate(parseGenerationRequest(body), this.context(req));
  }

  @Post('images/edits')
  @HttpCode(200)
  @UseInterceptors(AnyFilesInterceptor())
  edit(
    @UploadedFiles() parts: UploadedPart[] | undefined,
    @Body() body: unknown,
    @Req() req: Request,
  ): Promise<ImagesResponse<EditedDetails>> {
    return this.images.edit(parseEditRequest(body ?? {}), editFiles(parts ?? []), this.context(req));
  }

  @Get('models')
  models(): { object: 'list'; data: ModelEntry[] } {
    return { object: 'list', data: this.images.listModels() };
  }

  @Get('models/:id')
  model(@Param('id') id: string): ModelEntry {
    return this.images.retrieveModel(id);
  }

  private context(req: Request): AnswerContext {
    return { origin: requestOrigin(req, this.config.openAiCompat.publicUrl), signal: requestSignal(req) };
  }
}

/** `image` (one) or `image[]` (several, as OpenAI's clients send an array) and an optional `mask`. */
function editFiles(parts: readonly UploadedPart[]): EditFiles {
  const images: Buffer[] = [];
  const masks: Buffer[] = [];
  for (const part of parts) {
    if (part.fieldname === 'image' || part.fieldname === 'image[]') images.push(part.buffer);
    else if (part.fieldname === 'mask') masks.push(part.buffer);
    else
      throw new InvalidParamError(
        part.fieldname,
        `unexpected file field "${part.fieldname}": send image, image[] or mask`,
      );
  }
  if (masks.length > 1) throw new InvalidParamError('mask', 'send at most one mask');
  return { images, mask: masks[0] ?? null };
}
