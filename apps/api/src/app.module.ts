import { type DynamicModule, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { ClipEngineService } from './engine/clip-engine.service.js';
import { HealthController } from './health/health.controller.js';

@Module({})
export class AppModule {
  static forConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      controllers: [HealthController],
      providers: [{ provide: APP_CONFIG, useValue: config }, ClipEngineService],
    };
  }
}
