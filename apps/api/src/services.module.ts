import type { GeneratorRegistry } from '#generators';
import { type DynamicModule, Module } from '@nestjs/common';
import { AssetsModule } from './assets/assets.module.js';
import { CaptionService } from './captions/caption.service.js';
import { ClassificationService } from './classification/classification.service.js';
import { APP_CONFIG, type AppConfig, imageLimitsOf } from './config/app-config.js';
import { EditService } from './edits/edit.service.js';
import { ClipEngineService } from './engine/clip-engine.service.js';
import { GenerationService } from './generation/generation.service.js';
import { GENERATOR_REGISTRY } from './generators/generators.providers.js';
import { GeneratorsService } from './generators/generators.service.js';
import { ImageInputService } from './images/image-input.service.js';
import { JOB_PROVIDERS } from './jobs/jobs.providers.js';
import { JobService } from './jobs/job.service.js';
import { InputLimits } from './limits/input-limits.js';
import { MetricsService } from './metrics/metrics.service.js';
import { MODEL_CALL_PORT } from './model-calls/model-call-port.js';
import { MODEL_CALL_PROVIDERS } from './model-calls/model-calls.providers.js';
import { ModerationService } from './moderation/moderation.service.js';
import { CaptionCorpusService } from './retrieval/caption-corpus.service.js';
import { RetrievalService } from './retrieval/retrieval.service.js';
import { UrlImageFetcher } from './url-fetch/url-fetcher.js';
import { ClipWorkService } from './work-queue/clip-work.service.js';

export interface ServiceDependencies {
  config: AppConfig;
  registry: GeneratorRegistry;
}

/** One service per capability: the story of each request, whoever asks (GraphQL, REST, a job). */
const CAPABILITIES = [
  GeneratorsService,
  GenerationService,
  EditService,
  CaptionService,
  ClassificationService,
  ModerationService,
  RetrievalService,
];

/**
 * Everything but the transport: the services, what they stand on (the engine and its work queue, the
 * asset store, URL fetching, limits, metrics), and the shutdown of each resource that holds one.
 */
@Module({})
export class ServicesModule {
  static forRoot({ config, registry }: ServiceDependencies): DynamicModule {
    const shared = [
      APP_CONFIG,
      ClipEngineService,
      ClipWorkService,
      MetricsService,
      InputLimits,
      AssetsModule,
    ];
    return {
      module: ServicesModule,
      imports: [
        AssetsModule.forRoot({
          dataDir: config.dataDir,
          databaseUrl: config.databaseUrl,
          routes: config.role !== 'worker',
          maxUploadBytes: config.limits.maxUploadBytes,
          imageLimits: imageLimitsOf(config.limits),
          urlSigning: config.apiKeys.length > 0 ? config.assetUrls : null,
        }),
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        // Closed by GeneratorsService at shutdown.
        { provide: GENERATOR_REGISTRY, useValue: registry },
        {
          provide: UrlImageFetcher,
          useFactory: () =>
            new UrlImageFetcher({
              allowHosts: config.urlFetch.allowHosts,
              timeoutMs: config.urlFetch.timeoutMs,
              maxRedirects: config.urlFetch.maxRedirects,
              maxBytes: config.limits.maxUploadBytes,
            }),
        },
        ClipEngineService,
        ClipWorkService,
        MetricsService,
        InputLimits,
        ImageInputService,
        CaptionCorpusService,
        ...CAPABILITIES,
        ...JOB_PROVIDERS,
        ...MODEL_CALL_PROVIDERS,
      ],
      exports: [...shared, ...CAPABILITIES, JobService, MODEL_CALL_PORT],
    };
  }
}
