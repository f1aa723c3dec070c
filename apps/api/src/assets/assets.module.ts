import { join } from 'node:path';
import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { SqlDatabase } from '../database/database.js';
import { AssetRepository } from './asset-repository.js';
import { AssetService } from './asset-service.js';
import { ASSETS_OPTIONS, type AssetsOptions } from './assets-options.js';
import { AssetUrls } from './asset-urls.js';
import { AssetsController } from './assets.controller.js';
import { CaptionRepository } from './caption-repository.js';
import { EmbeddingIndex } from './embedding-index.js';
import { EmbeddingRepository } from './embedding-repository.js';
import { FileStore } from './file-store.js';

/**
 * The asset store: files under `<dataDir>/assets`, rows in `<dataDir>/clipsmith.db` or PostgreSQL (one
 * repository per table), `POST /assets` and `GET /assets/:id`. Exports AssetService (store, open, list,
 * captions, search), AssetUrls, which builds every asset URL the API hands out, and the database (jobs keep
 * their rows in it).
 */
@Module({})
export class AssetsModule {
  static forRoot(options: AssetsOptions): DynamicModule {
    return {
      module: AssetsModule,
      // Multer keeps uploads in memory (no `dest`) and stops reading at the limit.
      imports: [MulterModule.register({ limits: { fileSize: options.maxUploadBytes, files: 1 } })],
      controllers: options.routes === false ? [] : [AssetsController],
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
          provide: SqlDatabase,
          useFactory: () =>
            SqlDatabase.open({ url: options.databaseUrl, sqlitePath: join(options.dataDir, 'clipsmith.db') }),
        },
        repository(AssetRepository),
        repository(CaptionRepository),
        repository(EmbeddingRepository),
        {
          provide: EmbeddingIndex,
          inject: [EmbeddingRepository],
          useFactory: (embeddings: EmbeddingRepository) =>
            new EmbeddingIndex(embeddings, options.databaseUrl !== null),
        },
        { provide: AssetUrls, useFactory: () => new AssetUrls(options.urlSigning ?? null) },
        AssetService,
      ],
      exports: [AssetService, AssetUrls, SqlDatabase],
    };
  }
}

function repository<T>(Repository: new (database: SqlDatabase) => T): Provider<T> {
  return {
    provide: Repository,
    inject: [SqlDatabase],
    useFactory: (db: SqlDatabase) => new Repository(db),
  };
}
