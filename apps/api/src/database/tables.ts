import type { Generated } from 'kysely';

/** The rows of every table, as Kysely sees them; one description for SQLite and PostgreSQL. */
export interface Tables {
  migrations: MigrationsTable;
  assets: AssetsTable;
  asset_captions: AssetCaptionsTable;
  asset_embeddings: AssetEmbeddingsTable;
  jobs: JobsTable;
}

export interface MigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface AssetsTable {
  id: string;
  mime_type: string;
  width: number;
  height: number;
  byte_size: number;
  /** ISO 8601 UTC with milliseconds: sorts as text in both databases. */
  created_at: string;
  source: string;
  prompt: string | null;
  generator_id: string | null;
  seed: number | null;
  /** JSON text. */
  parameters: string | null;
  scores: string | null;
  edited_from: string | null;
  generation_id: string | null;
}

export interface AssetCaptionsTable {
  id: Generated<number>;
  asset_id: string;
  caption: string;
  clip_score: number | null;
  ref_clip_score: number | null;
  created_at: string;
}

export interface AssetEmbeddingsTable {
  asset_id: string;
  model_key: string;
  dim: number;
  vector: Uint8Array;
}

export interface JobsTable {
  id: string;
  kind: string;
  state: string;
  /** Who submitted it: a fingerprint of the API key, never the key. */
  owner: string;
  request_id: string | null;
  /** JSON text of the validated input. */
  input: string;
  stage: string;
  done: number;
  total: number;
  /** JSON text of the result (also of the partial result a cancelled or failed job kept). */
  result: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  cancel_requested: number;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
}
