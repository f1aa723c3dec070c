import { existsSync } from 'node:fs';
import { bundledModelDir, type ClipEngine, load } from '#clip';
import { PARITY_MODEL } from '#clip/test-support';

/** The fixture model (random weights): for mechanics, never for accuracy. */
export function parityEngine(): Promise<ClipEngine> {
  return load(PARITY_MODEL, { intraOpNumThreads: 1 });
}

/** The model clipsmith ships, trained on the procedural world: for accuracy figures. */
export const BUNDLED_MODEL = bundledModelDir();
export const HAS_BUNDLED_MODEL = existsSync(`${BUNDLED_MODEL}/config.json`);

export function bundledEngine(): Promise<ClipEngine> {
  return load(BUNDLED_MODEL);
}
