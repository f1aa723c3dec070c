import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { ApiKeyGuard } from './auth/api-key.guard.js';
import { ApiExceptionFilter } from './errors/api-exception.filter.js';
import { formatError } from './graphql/format-error.js';
import { GRAPHQL_WS, graphqlContext } from './graphql/graphql-context.js';
import { queryCostPlugin, queryDepthRule } from './graphql/query-limits.js';
import { RESOLVERS } from './graphql/resolvers.js';
import { withRequestId } from './graphql/with-request-id.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { RequestMetricsInterceptor } from './metrics/request-metrics.interceptor.js';
import { OpenAiCompatModule } from './openai-compat/openai-compat.module.js';
import { type ServiceDependencies, ServicesModule } from './services.module.js';

export type AppDependencies = ServiceDependencies;

/**
 * The API: GraphQL resolvers, REST controllers and the OpenAI-compatible `/v1` routes over the services,
 * behind auth, limits and metrics.
 */
@Module({})
export class AppModule {
  static forRoot(dependencies: AppDependencies): DynamicModule {
    const { limits, role } = dependencies.config;
    const services = ServicesModule.forRoot(dependencies);
    // A worker takes jobs from the queue; over HTTP it answers only health, readiness and metrics.
    if (role === 'worker') {
      return { module: AppModule, imports: [services], controllers: [HealthController, MetricsController] };
    }
    return {
      module: AppModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          autoSchemaFile: true,
          sortSchema: true,
          formatError: withRequestId(formatError),
          includeStacktraceInErrorResponses: false,
          // The CDN-loaded GraphiQL would show nothing offline; the Studio bundles its own at /graphiql.
          graphiql: false,
          validationRules: [queryDepthRule(limits.graphqlMaxDepth)],
          plugins: [queryCostPlugin(limits.graphqlMaxComplexity, dependencies.registry.list().length)],
          context: graphqlContext,
          // Subscriptions (jobUpdated) over graphql-ws on the same path.
          subscriptions: { 'graphql-ws': GRAPHQL_WS },
        }),
        services,
        OpenAiCompatModule.forRoot(services, limits),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestMetricsInterceptor },
        ...RESOLVERS,
      ],
    };
  }
}
