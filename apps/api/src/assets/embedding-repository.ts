import type { SqlDatabase } from '../database/database.js';
import type { EmbeddingSet } from './asset-record.js';
import { decodeVector, encodeVector } from './vector-blob.js';

/** The `asset_embeddings` table: one CLIP embedding per asset and model. */
export class EmbeddingRepository {
  constructor(private readonly database: SqlDatabase) {}

  /**
   * Stores (or replaces) the embedding of an asset by one CLIP model. A model has one dimension: a
   * vector of another length under the same key is refused, as search could not compare it.
   */
  async set(assetId: string, modelKey: string, vector: Float32Array): Promise<void> {
    if (vector.length === 0 || !vector.every(Number.isFinite)) {
      throw new Error('an embedding must be a non-empty vector of finite numbers');
    }
    const existing = await this.database.db
      .selectFrom('asset_embeddings')
      .select('dim')
      .where('model_key', '=', modelKey)
      .limit(1)
      .executeTakeFirst();
    if (existing && existing.dim !== vector.length) {
      throw new Error(
        `embeddings of ${modelKey} have ${existing.dim} dimensions; this one has ${vector.length}`,
      );
    }
    await this.database.db
      .insertInto('asset_embeddings')
      .values({ asset_id: assetId, model_key: modelKey, dim: vector.length, vector: encodeVector(vector) })
      .onConflict((c) =>
        c.columns(['asset_id', 'model_key']).doUpdateSet((eb) => ({
          dim: eb.ref('excluded.dim'),
          vector: eb.ref('excluded.vector'),
        })),
      )
      .execute();
  }

  async get(assetId: string, modelKey: string): Promise<Float32Array | null> {
    const row = await this.database.db
      .selectFrom('asset_embeddings')
      .select(['dim', 'vector'])
      .where('asset_id', '=', assetId)
      .where('model_key', '=', modelKey)
      .executeTakeFirst();
    return row ? decodeVector(Buffer.from(row.vector), new Float32Array(row.dim)) : null;
  }

  /** How many embeddings of one model are stored. */
  async count(modelKey: string): Promise<number> {
    const { count } = await this.database.db
      .selectFrom('asset_embeddings')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('model_key', '=', modelKey)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  /** Every embedding of one model, for search: one contiguous buffer, a view per asset. */
  async all(modelKey: string): Promise<EmbeddingSet> {
    const rows = await this.database.db
      .selectFrom('asset_embeddings')
      .select(['asset_id', 'dim', 'vector'])
      .where('model_key', '=', modelKey)
      .orderBy('asset_id')
      .execute();
    const dim = rows[0]?.dim ?? 0;
    const matrix = new Float32Array(rows.length * dim);
    const vectors = rows.map((row, i) =>
      decodeVector(Buffer.from(row.vector), matrix.subarray(i * dim, (i + 1) * dim)),
    );
    return { modelKey, dim, ids: rows.map((row) => row.asset_id), vectors };
  }
}
