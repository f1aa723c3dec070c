import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';
import { ConfigError, loadAppConfig } from './config/app-config.js';
import { ClipEngineService } from './engine/clip-engine.service.js';
import { JsonLogger } from './logging/json-logger.js';

async function bootstrap(): Promise<void> {
  const logger = new JsonLogger();
  let config;
  try {
    config = loadAppConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    logger.fatal({ msg: error.message }, 'Config');
    process.exit(78); // EX_CONFIG
  }
  const app = await NestFactory.create(AppModule.forConfig(config), { logger });
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  logger.log(
    { msg: 'listening', url: `http://${config.host}:${address.port}`, port: address.port },
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

void bootstrap();
