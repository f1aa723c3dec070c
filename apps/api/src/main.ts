import 'reflect-metadata';
import { GeneratorConfigError } from '#generators';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import graphqlUploadExpress from 'graphql-upload/graphqlUploadExpress.mjs';
import { AppModule } from './app.module.js';
import { type AppConfig, ConfigError, loadAppConfig } from './config/app-config.js';
import { ClipEngineService } from './engine/clip-engine.service.js';
import { buildGeneratorRegistry } from './generators/build-registry.js';
import { JsonLogger } from './logging/json-logger.js';

const EX_CONFIG = 78;
const LOOPBACK = '127.0.0.1';

async function bootstrap(): Promise<void> {
  const logger = new JsonLogger();
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
  const host = bindAddress(config, logger);
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ config, registry }), {
    logger,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: config.limits.maxRequestBytes });
  app.use('/graphql', graphqlUploadExpress({ maxFileSize: config.limits.maxUploadBytes, maxFiles: 16 }));
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
      // close() stops accepting connections, waits for in-flight requests, then runs shutdown hooks.
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ msg: 'unclean shutdown', error: String(error) }, undefined, 'Bootstrap');
          process.exit(1);
        },
      );
    });
  }
  // Readiness reports a model that fails to load; the process stays up so /readyz can say why.
  app
    .get(ClipEngineService)
    .load()
    .catch(() => undefined);
}

/** Without API keys nobody may reach the service from elsewhere: bind to loopback and say so. */
function bindAddress(config: AppConfig, logger: JsonLogger): string {
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
