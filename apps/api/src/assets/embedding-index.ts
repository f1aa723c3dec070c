import { ExactVectorIndex, type SearchHit } from '#guidance';
import type { EmbeddingRepository } from './embedding-repository.js';

/** An asset's embedding under the CLIP model that made it; embeddings of two models never meet. */
export interface AssetEmbedding {
  modelKey: string;
  vector: Float32Array;
}

/**
 * Stored embeddings, persisted by the repository and searched in an exact in-process index per model
 * (fine to ~100k assets; VectorIndex lets a vector database take its place). Over a store that other
 * nodes write too (`shared`), each search first counts the stored embeddings and reloads when others
 * added some: one cheap query, and every node finds every asset.
 */
export class EmbeddingIndex {
  private readonly indexes = new Map<string, Promise<ExactVectorIndex<null>>>();

  constructor(
    private readonly repository: EmbeddingRepository,
    private readonly shared = false,
  ) {}

  async add(assetId: string, { modelKey, vector }: AssetEmbedding): Promise<void> {
    await this.repository.set(assetId, modelKey, vector);
    const index = await this.loaded(modelKey, vector.length);
    index.upsert(assetId, vector, null);
  }

  async nearest({ modelKey, vector }: AssetEmbedding, k: number): Promise<SearchHit<null>[]> {
    let index = await this.loaded(modelKey, vector.length);
    // Embeddings are never removed, so a different count means another node stored some.
    if (this.shared && (await this.repository.count(modelKey)) !== index.size) {
      this.indexes.delete(modelKey);
      index = await this.loaded(modelKey, vector.length);
    }
    return index.search(vector, k);
  }

  /** Reads every stored embedding of a model on first use. */
  private loaded(modelKey: string, dim: number): Promise<ExactVectorIndex<null>> {
    let index = this.indexes.get(modelKey);
    if (!index) {
      index = this.repository.all(modelKey).then((stored) => {
        const built = new ExactVectorIndex<null>(stored.dim || dim);
        stored.ids.forEach((id, i) => built.upsert(id, stored.vectors[i]!, null));
        return built;
      });
      // A failed read is retried on the next call.
      index.catch(() => this.indexes.delete(modelKey));
      this.indexes.set(modelKey, index);
    }
    return index;
  }
}
