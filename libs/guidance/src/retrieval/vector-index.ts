import { dot } from '#clip';

export interface SearchHit<M> {
  id: string;
  score: number;
  metadata: M;
}

/**
 * A store of normalised embeddings with top-k search by cosine. The in-process exact index below is
 * fine to ~100k vectors; a vector database can implement the same interface.
 */
export interface VectorIndex<M> {
  readonly size: number;
  upsert(id: string, vector: Float32Array, metadata: M): void;
  remove(id: string): boolean;
  search(query: Float32Array, k: number, filter?: (metadata: M, id: string) => boolean): SearchHit<M>[];
}

/** Exact search over a contiguous Float32Array: one dot product per stored vector. */
export class ExactVectorIndex<M> implements VectorIndex<M> {
  private vectors: Float32Array;
  private ids: string[] = [];
  private metadata: M[] = [];
  private readonly slot = new Map<string, number>();

  constructor(
    readonly dimension: number,
    initialCapacity = 1024,
  ) {
    this.vectors = new Float32Array(dimension * initialCapacity);
  }

  get size(): number {
    return this.ids.length;
  }

  upsert(id: string, vector: Float32Array, metadata: M): void {
    if (vector.length !== this.dimension) {
      throw new RangeError(`vector has ${vector.length} dimensions; the index holds ${this.dimension}`);
    }
    let index = this.slot.get(id);
    if (index === undefined) {
      index = this.ids.length;
      if ((index + 1) * this.dimension > this.vectors.length) this.grow();
      this.ids.push(id);
      this.metadata.push(metadata);
      this.slot.set(id, index);
    } else {
      this.metadata[index] = metadata;
    }
    this.vectors.set(vector, index * this.dimension);
  }

  remove(id: string): boolean {
    const index = this.slot.get(id);
    if (index === undefined) return false;
    // Move the last entry into the hole so storage stays contiguous.
    const last = this.ids.length - 1;
    if (index !== last) {
      this.vectors.copyWithin(index * this.dimension, last * this.dimension, (last + 1) * this.dimension);
      this.ids[index] = this.ids[last]!;
      this.metadata[index] = this.metadata[last]!;
      this.slot.set(this.ids[index], index);
    }
    this.ids.pop();
    this.metadata.pop();
    this.slot.delete(id);
    return true;
  }

  search(query: Float32Array, k: number, filter?: (metadata: M, id: string) => boolean): SearchHit<M>[] {
    if (query.length !== this.dimension) {
      throw new RangeError(`query has ${query.length} dimensions; the index holds ${this.dimension}`);
    }
    const hits: SearchHit<M>[] = [];
    const d = this.dimension;
    for (let i = 0; i < this.ids.length; i++) {
      if (filter && !filter(this.metadata[i]!, this.ids[i]!)) continue;
      const score = dot(query, this.vectors.subarray(i * d, (i + 1) * d));
      if (hits.length < k || score > hits[hits.length - 1]!.score) {
        hits.push({ id: this.ids[i]!, score, metadata: this.metadata[i]! });
        hits.sort((a, b) => b.score - a.score);
        if (hits.length > k) hits.pop();
      }
    }
    return hits;
  }

  private grow(): void {
    const larger = new Float32Array(Math.max(this.vectors.length * 2, this.dimension * 16));
    larger.set(this.vectors);
    this.vectors = larger;
  }
}
