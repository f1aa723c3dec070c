import type { ImageLimits } from '#clip';

/** What the asset store needs from the service's configuration. */
export interface AssetsOptions {
  /** Holds `assets/` (the files) and `clipsmith.db`. */
  dataDir: string;
  /** Largest upload accepted by `POST /assets`, in bytes. */
  maxUploadBytes: number;
  /** Checked on every image before it is stored. */
  imageLimits: ImageLimits;
}

export const ASSETS_OPTIONS = Symbol('ASSETS_OPTIONS');
