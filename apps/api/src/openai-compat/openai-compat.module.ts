import { type DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { Limits } from '../config/app-config.js';
import { OpenAiCompatController } from './openai-compat.controller.js';
import { OpenAiImagesService } from './openai-images.service.js';

/**
 * The OpenAI-compatible `/v1` API beside GraphQL, over the same services. `services` is the app's own
 * ServicesModule (the same instance, not a second one).
 */
@Module({})
export class OpenAiCompatModule {
  static forRoot(services: DynamicModule, limits: Limits): DynamicModule {
    return {
      module: OpenAiCompatModule,
      imports: [
        services,
        // In memory, each file stopped at the upload limit; the images plus one mask.
        MulterModule.register({
          limits: { fileSize: limits.maxUploadBytes, files: limits.maxUploadFiles + 1 },
        }),
      ],
      controllers: [OpenAiCompatController],
      providers: [OpenAiImagesService],
    };
  }
}
