import { type CacheStats, ClipEngine, type ModelInfo } from '#clip';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, imageLimitsOf } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';

export type EngineState =
  { status: 'loading' } | { status: 'ready'; info: ModelInfo } | { status: 'failed'; error: string };

/**
 * Owns the one CLIP engine of the process. The model loads in the background after the server
 * starts listening, so /healthz answers at once and /readyz tells when the model can serve.
 */
@Injectable()
export class ClipEngineService implements OnApplicationShutdown {
  private readonly logger = new Logger(ClipEngineService.name);
  private engine: ClipEngine | null = null;
  private loading: Promise<ClipEngine> | null = null;
  private failure: string | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Starts loading the model; resolves when it is loaded, rejects if it cannot be. */
  load(): Promise<ClipEngine> {
    const { dir, dtype, threads, batchSize, cacheBytes, resizeMode } = this.config.model;
    this.loading ??= ClipEngine.load(dir, {
      dtype,
      batchSize,
      cacheBytes,
      resizeMode,
      imageLimits: imageLimitsOf(this.config.limits),
      ...(threads ? { intraOpNumThreads: threads } : {}),
    }).then(
      (engine) => {
        this.engine = engine;
        this.logger.log({
          msg: 'model loaded',
          dir: engine.info.dir,
          dtype,
          embeddingDim: engine.info.embeddingDim,
        });
        return engine;
      },
      (error: unknown) => {
        this.failure = (error as Error).message;
        this.logger.error({ msg: 'model failed to load', dir, error: this.failure });
        throw error;
      },
    );
    return this.loading;
  }

  /** The loaded engine, or MODEL_NOT_READY while it loads or after it failed. */
  get ready(): ClipEngine {
    if (this.engine) return this.engine;
    throw new ApiError(
      'MODEL_NOT_READY',
      this.failure
        ? `the model failed to load: ${this.failure}`
        : 'the model is still loading; retry shortly',
    );
  }

  get cacheStats(): CacheStats | null {
    return this.engine?.cacheStats ?? null;
  }

  get state(): EngineState {
    if (this.engine) return { status: 'ready', info: this.engine.info };
    if (this.failure) return { status: 'failed', error: this.failure };
    return { status: 'loading' };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.engine?.dispose();
  }
}
