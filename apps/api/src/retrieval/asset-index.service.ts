import { ExactVectorIndex, type SearchHit } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { AssetRepository } from '../assets/asset-repository.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';

/**
 * Embeddings of stored assets, for search by text or image. Persisted per model in SQLite and held in an
 * exact in-process index (fine to ~100k assets; VectorIndex lets a vector database take its place).
 */
@Injectable()
export class AssetIndexService {
  private index: ExactVectorIndex<null> | null = null;

  constructor(
    @Inject(AssetRepository) private readonly repository: AssetRepository,
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
  ) {}

  add(assetId: string, embedding: Float32Array): void {
    this.repository.setEmbedding(assetId, this.work.modelKey, embedding);
    this.loaded().upsert(assetId, embedding, null);
  }

  search(query: Float32Array, k: number): SearchHit<null>[] {
    return this.loaded().search(query, k);
  }

  /** Reads every stored embedding of the current model on first use. */
  private loaded(): ExactVectorIndex<null> {
    if (this.index) return this.index;
    const { embeddingDim } = this.work.clip.info;
    const index = new ExactVectorIndex<null>(embeddingDim);
    const stored = this.repository.allEmbeddings(this.work.modelKey);
    stored.ids.forEach((id, i) => index.upsert(id, stored.vectors[i]!, null));
    this.index = index;
    return index;
  }
}
