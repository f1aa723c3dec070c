import 'reflect-metadata';
import { GeneratorConfigError } from '#generators';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { AppModule } from './app.module.js';
import { type AppConfig, ConfigError, loadAppConfig } from './config/app-config.js';
import { ClipEngineService } from './engine/clip-engine.service.js';
import { buildGeneratorRegistry } from './generators/build-registry.js';
import { drainServer } from './http/drain-server.js';
import { multipartErrors } from './http/multipart-errors.js';
import { requestIdMiddleware } from './http/request-id.js';
import { JobService } from './jobs/job.service.js';
import { createLogger } from './logging/logger.js';
import { PinoNestLogger } from './logging/nest-logger.js';
import { serveStudio } from './studio/serve-studio.js';

const EX_CONFIG = 78;
const LOOPBACK = '127.0.0.1';

async function bootstrap(): Promise<void> {
  const pino = createLogger();
  const logger = new PinoNestLogger(pino);
  let config: AppConfig;
  let registry;
  try {
    config = loadAppConfig();
    registry = await buildGeneratorRegistry(config.file, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof GeneratorConfigError)) throw error;
    logger.fatal({ msg: error.message }, 'Config');
    process.exit(EX_CONFIG);
  }
  pino.level = config.logLevel;
  const host = bindAddress(config, logger);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, registry }), {
    logger,
    bodyParser: false,
  });
  app.use(requestIdMiddleware({ maxLength: config.limits.requestIdMaxLength, logger: pino }));
  app.useBodyParser('json', { limit: config.limits.maxRequestBytes });
  serveStudio(app, logger);
  app.use(
    '/graphql',
    graphqlUploadExpress({
      maxFileSize: config.limits.maxUploadBytes,
      maxFiles: config.limits.maxUploadFiles,
    }),
    multipartErrors,
  );
  await app.listen(config.port, host);
  const address = app.getHttpServer().address() as { port: number };
  logger.log(
    {
      msg: 'listening',
      url: `http://${host}:${address.port}`,
      port: address.port,
      auth: config.apiKeys.length > 0,
    },
    'Bootstrap',
  );
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.log({ msg: 'shutting down', signal }, 'Bootstrap');
      // A request that outlives the grace period is cut rather than holding up a deploy forever.
      setTimeout(() => {
        logger.error(
          { msg: 'shutdown grace period over: cutting the requests left' },
          undefined,
          'Bootstrap',
        );
        process.exit(1);
      }, config.shutdownGraceMs).unref();
      app.get(JobService).handBackBeforeGraceEnds();
      // Every request in flight is answered first; then close() runs the shutdown hooks (engine, database).
      drainServer(app.getHttpServer())
        .then(() => app.close())
        .then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ msg: 'unclean shutdown', error: String(error) }, undefined, 'Bootstrap');
            process.exit(1);
          },
        );
    });
  }
  // Readiness reports a model that fails to load; the process stays up so /readyz can say why.
  // An api node does no model work, so it loads no model.
  if (config.role !== 'api')
    app
      .get(ClipEngineService)
      .load()
      .catch(() => undefined);
}

/** Without API keys nobody may reach the service from elsewhere: bind to loopback and say so. */
function bindAddress(config: AppConfig, logger: PinoNestLogger): string {
  if (config.apiKeys.length > 0) return config.host;
  if (config.host !== LOOPBACK) {
    logger.warn(
      { msg: `no API_KEYS configured: binding to ${LOOPBACK} instead of ${config.host}` },
      'Bootstrap',
    );
  } else {
    logger.log(
      { msg: `no API_KEYS configured: serving ${LOOPBACK} only, without authentication` },
      'Bootstrap',
    );
  }
  return LOOPBACK;
}

void bootstrap();
