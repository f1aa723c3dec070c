import { BUILTIN_PLUGINS, GeneratorRegistry } from '#generators';
import type { FileConfig } from '../config/config-file.js';

/** Builds and validates every configured generator; runs before Nest starts so a bad entry stops start-up. */
export function buildGeneratorRegistry(file: FileConfig, env: NodeJS.ProcessEnv): Promise<GeneratorRegistry> {
  return GeneratorRegistry.create(file.generators, {
    builtins: BUILTIN_PLUGINS,
    baseDir: file.baseDir,
    environment: { env, fetch },
  });
}
