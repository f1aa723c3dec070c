import type { GeneratorRegistry, ImageGenerator } from '#generators';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { GENERATOR_REGISTRY } from './generators.providers.js';
import { loggedGenerator } from './logged-generator.js';

/** The configured generators: which a request may use, and closing them all when the app stops. */
@Injectable()
export class GeneratorsService implements OnApplicationShutdown {
  private readonly logger = new Logger('Generators');

  constructor(@Inject(GENERATOR_REGISTRY) private readonly registry: GeneratorRegistry) {}

  list(): ImageGenerator[] {
    return this.registry.list();
  }

  /**
   * The generators a request names (BAD_REQUEST for an unknown id), or all when it names none; each
   * call they make is logged.
   */
  select(ids?: readonly string[] | null): ImageGenerator[] {
    return this.registry.select(ids).map((g) => loggedGenerator(g, this.logger));
  }

  /** Of the generators a request names, those that edit images. */
  editors(ids?: readonly string[] | null): ImageGenerator[] {
    return this.select(ids).filter((g) => g.capabilities.imageToImage);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.registry.close();
  }
}
