import type {
  GenerateContext,
  GeneratedImage,
  GenerationRequest,
  GeneratorEnvironment,
  GeneratorPlugin,
  ImageGenerator,
} from './contract.js';
import { GeneratorConfigError, GeneratorError } from './errors.js';
import type { GeneratorEntry } from './generator-config.js';
import { redact } from './http/request-with-retry.js';
import { assertPlugin, loadPluginModule } from './plugin-loader.js';

export interface RegistryOptions {
  /** Plugins known by name (`use: huggingface`). */
  builtins: readonly GeneratorPlugin[];
  environment: GeneratorEnvironment;
  /** Where relative module paths and package names resolve from: the configuration file's folder. */
  baseDir: string;
}

/** Option keys whose values are secrets: redacted from every error a generator raises. */
const SECRET_KEY = /token|key|secret|password|authorization/i;

/** The configured generators, built and validated at start-up. */
export class GeneratorRegistry {
  private constructor(private readonly generators: ReadonlyMap<string, ImageGenerator>) {}

  static async create(
    entries: readonly GeneratorEntry[],
    options: RegistryOptions,
  ): Promise<GeneratorRegistry> {
    const builtins = new Map(options.builtins.map((p) => [p.name, p]));
    const generators = new Map<string, ImageGenerator>();
    for (const [i, entry] of entries.entries()) {
      const where = `generators[${i}] (id ${entry.id})`;
      const plugin = builtins.get(entry.use) ?? (await loadPluginModule(entry.use, options.baseDir, where));
      assertPlugin(plugin, where);
      let generator: ImageGenerator;
      try {
        generator = plugin.create(entry.id, entry.options, options.environment);
      } catch (cause) {
        const message = redact((cause as Error).message ?? String(cause), secretsOf(entry.options));
        throw new GeneratorConfigError(`${where}: ${message}`, { cause });
      }
      assertGenerator(generator, entry.id, where);
      generators.set(entry.id, new RedactingGenerator(generator, secretsOf(entry.options)));
    }
    return new GeneratorRegistry(generators);
  }

  list(): ImageGenerator[] {
    return [...this.generators.values()];
  }

  /** The generators a request names, or all of them when it names none. */
  select(ids?: readonly string[] | null): ImageGenerator[] {
    if (!ids || ids.length === 0) return this.list();
    return ids.map((id) => {
      const generator = this.generators.get(id);
      if (!generator) {
        throw new GeneratorError(
          'BAD_REQUEST',
          `unknown generator "${id}"; configured: ${[...this.generators.keys()].join(', ')}`,
        );
      }
      return generator;
    });
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.list().map((g) => g.close?.()));
  }
}

/** Strings under secret-looking keys, at any depth of the options. */
function secretsOf(options: Record<string, unknown>): string[] {
  return Object.entries(options).flatMap(([key, value]) => {
    if (typeof value === 'string') return SECRET_KEY.test(key) ? [value] : [];
    if (typeof value === 'object' && value !== null) return secretsOf(value as Record<string, unknown>);
    return [];
  });
}

function assertGenerator(generator: unknown, id: string, where: string): asserts generator is ImageGenerator {
  const g = generator as Partial<ImageGenerator> | null;
  const problems: string[] = [];
  if (typeof g !== 'object' || g === null)
    throw new GeneratorConfigError(`${where}: create() returned no generator`);
  if (g.id !== id) problems.push(`id must be "${id}" (got ${JSON.stringify(g.id)})`);
  if (typeof g.kind !== 'string') problems.push('kind must be a string');
  if (typeof g.generate !== 'function') problems.push('generate must be a function');
  const caps = g.capabilities;
  if (typeof caps !== 'object' || caps === null) {
    problems.push('capabilities must be an object');
  } else {
    for (const flag of ['textToImage', 'imageToImage', 'seed', 'negativePrompt'] as const) {
      if (typeof caps[flag] !== 'boolean') problems.push(`capabilities.${flag} must be a boolean`);
    }
    if (!(Number.isInteger(caps.maxImagesPerCall) && caps.maxImagesPerCall >= 1)) {
      problems.push('capabilities.maxImagesPerCall must be a positive integer');
    }
    const sizes = caps.sizes as unknown as Record<string, unknown> | undefined;
    for (const key of ['minWidth', 'maxWidth', 'minHeight', 'maxHeight', 'multipleOf']) {
      if (!(typeof sizes?.[key] === 'number' && (sizes[key] as number) > 0)) {
        problems.push(`capabilities.sizes.${key} must be a positive number`);
      }
    }
  }
  if (problems.length > 0) {
    throw new GeneratorConfigError(
      `${where}: the plugin's generator breaks the contract: ${problems.join('; ')}`,
    );
  }
}

/** Keeps a generator's secrets out of every error it raises, whoever wrote the plugin. */
class RedactingGenerator implements ImageGenerator {
  readonly id: string;
  readonly kind: string;
  readonly capabilities: ImageGenerator['capabilities'];

  constructor(
    private readonly inner: ImageGenerator,
    private readonly secrets: readonly string[],
  ) {
    ({ id: this.id, kind: this.kind, capabilities: this.capabilities } = inner);
  }

  async generate(request: GenerationRequest, context: GenerateContext): Promise<GeneratedImage[]> {
    try {
      return await this.inner.generate(request, context);
    } catch (error) {
      if (this.secrets.length === 0) throw error;
      const message = redact((error as Error)?.message ?? String(error), this.secrets);
      if (error instanceof GeneratorError) {
        throw new GeneratorError(error.code, message, { status: error.status, retries: error.retries });
      }
      throw new GeneratorError('GENERATOR_FAILED', `${this.id} failed: ${message}`);
    }
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
