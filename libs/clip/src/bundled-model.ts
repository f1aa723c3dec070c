import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder name of the model clipsmith ships under models/. */
export const BUNDLED_MODEL_NAME = 'clipsmith-scenes';

/**
 * The bundled model's folder: models/<name> in the project root, found by walking up from this file
 * so it resolves the same from the TypeScript sources and from the compiled dist/.
 */
export function bundledModelDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return join(dir, 'models', BUNDLED_MODEL_NAME);
}

/** The model to use when none is named: MODEL_DIR from the environment, else the bundled one. */
export function defaultModelDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['MODEL_DIR'] || bundledModelDir();
}
