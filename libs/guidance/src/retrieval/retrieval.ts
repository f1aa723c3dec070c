import type { ImageInput } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { ExactVectorIndex, type SearchHit, type VectorIndex } from './vector-index.js';

/** A caption corpus embedded once, for captioning images by retrieval. */
export class CaptionCorpus {
  private constructor(private readonly index: VectorIndex<{ caption: string }>) {}

  /** Embeds the captions in chunks, so a large corpus never floods a shared model queue. */
  static async build(clip: ClipPort, captions: readonly string[], chunkSize = 256): Promise<CaptionCorpus> {
    const unique = [...new Set(captions)];
    const index = new ExactVectorIndex<{ caption: string }>(clip.info.embeddingDim, unique.length);
    for (let start = 0; start < unique.length; start += chunkSize) {
      const chunk = unique.slice(start, start + chunkSize);
      const embeddings = await clip.embedTexts(chunk);
      chunk.forEach((caption, i) => index.upsert(caption, embeddings[i]!, { caption }));
    }
    return new CaptionCorpus(index);
  }

  get size(): number {
    return this.index.size;
  }

  /** The k captions closest to the image, best first. */
  async caption(clip: ClipPort, image: ImageInput, k: number): Promise<{ caption: string; score: number }[]> {
    const [embedding] = await clip.embedImages([image]);
    return this.index
      .search(embedding!, k)
      .map((hit) => ({ caption: hit.metadata.caption, score: hit.score }));
  }
}

/** Top-k of an index by a text or an image query. */
export async function searchByText<M>(
  clip: ClipPort,
  index: VectorIndex<M>,
  text: string,
  k: number,
): Promise<SearchHit<M>[]> {
  const [query] = await clip.embedTexts([text]);
  return index.search(query!, k);
}

export async function searchByImage<M>(
  clip: ClipPort,
  index: VectorIndex<M>,
  image: ImageInput,
  k: number,
): Promise<SearchHit<M>[]> {
  const [query] = await clip.embedImages([image]);
  return index.search(query!, k);
}
