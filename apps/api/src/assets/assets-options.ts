import type { ImageLimits } from '#clip';
import type { UrlSigning } from './asset-urls.js';

/** What the asset store needs from the service's configuration. */
export interface AssetsOptions {
  /** Holds `assets/` (the files) and, without a databaseUrl, `clipsmith.db`. */
  dataDir: string;
  /** `postgres://…` for the shared store of distributed mode; null for the SQLite file. */
  databaseUrl: string | null;
  /** Whether to serve `POST /assets` and `GET /assets/:id` (a worker node does not). Default true. */
  routes?: boolean;
  /** Largest upload accepted by `POST /assets`, in bytes. */
  maxUploadBytes: number;
  /** Checked on every image before it is stored. */
  imageLimits: ImageLimits;
  /** Signs asset URLs (the server has API keys); absent: plain URLs. */
  urlSigning?: UrlSigning | null;
}

export const ASSETS_OPTIONS = Symbol('ASSETS_OPTIONS');
