import { join } from 'node:path';
import { type DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AssetRepository } from './asset-repository.js';
import { AssetService } from './asset-service.js';
import { ASSETS_OPTIONS, type AssetsOptions } from './assets-options.js';
import { AssetsController } from './assets.controller.js';
import { FileStore } from './file-store.js';

/**
 * The asset store: files under `<dataDir>/assets`, rows in `<dataDir>/clipsmith.db`, `POST /assets`
 * and `GET /assets/:id`. Exports AssetService (store, open, list, captions) and AssetRepository
 * (embeddings).
 */
@Module({})
export class AssetsModule {
  static forRoot(options: AssetsOptions): DynamicModule {
    return {
      module: AssetsModule,
      // Multer keeps uploads in memory (no `dest`) and stops reading at the limit.
      imports: [MulterModule.register({ limits: { fileSize: options.maxUploadBytes, files: 1 } })],
      controllers: [AssetsController],
      providers: [
        { provide: ASSETS_OPTIONS, useValue: options },
        {
          provide: FileStore,
          useFactory: async () => {
            const files = new FileStore(join(options.dataDir, 'assets'));
            await files.removeStaleTempFiles();
            return files;
          },
        },
        // Closed by its onApplicationShutdown hook when the app closes.
        {
          provide: AssetRepository,
          useFactory: () => new AssetRepository(join(options.dataDir, 'clipsmith.db')),
        },
        AssetService,
      ],
      exports: [AssetService, AssetRepository],
    };
  }
}
