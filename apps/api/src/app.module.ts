import type { GeneratorRegistry } from '#generators';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { AssetsModule } from './assets/assets.module.js';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { APP_CONFIG, type AppConfig, imageLimitsOf } from './config/app-config.js';
import { ClipEngineService } from './engine/clip-engine.service.js';
import { EditService } from './edits/edit.service.js';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { GenerationService } from './generation/generation.service.js';
import { GENERATOR_REGISTRY } from './generators/generators.providers.js';
import { formatError } from './graphql/format-error.js';
import { queryLimitRules } from './graphql/query-limits.js';
import { RESOLVERS } from './graphql/resolvers.js';
import { HealthController } from './health/health.controller.js';
import { ImageInputService } from './images/image-input.service.js';
import { InputLimits } from './limits/input-limits.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { MetricsService } from './metrics/metrics.service.js';
import { RequestMetricsInterceptor } from './metrics/request-metrics.interceptor.js';
import { AssetIndexService } from './retrieval/asset-index.service.js';
import { CaptionCorpusService } from './retrieval/caption-corpus.service.js';
import { UrlImageFetcher } from './url-fetch/url-fetcher.js';
import { ClipWorkService } from './work-queue/clip-work.service.js';

export interface AppDependencies {
  config: AppConfig;
  registry: GeneratorRegistry;
}

@Module({})
export class AppModule {
  static forRoot({ config, registry }: AppDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          sortSchema: true,
          formatError,
          includeStacktraceInErrorResponses: false,
          validationRules: queryLimitRules({
            maxDepth: config.limits.graphqlMaxDepth,
            maxComplexity: config.limits.graphqlMaxComplexity,
          }),
          context: ({ req }: { req: unknown }) => ({ req }),
        }),
        AssetsModule.forRoot({
          dataDir: config.dataDir,
          maxUploadBytes: config.limits.maxUploadBytes,
          imageLimits: imageLimitsOf(config.limits),
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: GENERATOR_REGISTRY, useValue: registry },
        {
          provide: UrlImageFetcher,
          useFactory: () =>
            new UrlImageFetcher({
              allowHosts: config.urlFetch.allowHosts,
              timeoutMs: config.urlFetch.timeoutMs,
              maxBytes: config.limits.maxUploadBytes,
            }),
        },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestMetricsInterceptor },
        ClipEngineService,
        ClipWorkService,
        MetricsService,
        InputLimits,
        ImageInputService,
        AssetIndexService,
        CaptionCorpusService,
        GenerationService,
        EditService,
        ...RESOLVERS,
      ],
    };
  }
}
