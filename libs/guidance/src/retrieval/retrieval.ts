import type { ImageInput } from '#clip';
import { cutByPercentile, type PercentileCut } from '../calibration/percentile.js';
import type { ClipPort } from '../clip-port.js';
import { ExactVectorIndex, type SearchHit, type VectorIndex } from './vector-index.js';

export interface RetrievalOptions {
  /** Drops results whose similarity percentile is no better than this (needs a calibrated model). */
  minPercentile?: number | null | undefined;
}

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

  /** Of the k captions closest to the image, best first, those above the least percentile. */
  async caption(
    clip: ClipPort,
    image: ImageInput,
    k: number,
    options: RetrievalOptions = {},
  ): Promise<PercentileCut<{ caption: string; score: number }>> {
    const [embedding] = await clip.embedImages([image]);
    const hits = this.index
      .search(embedding!, k)
      .map((hit) => ({ caption: hit.metadata.caption, score: hit.score }));
    return cutByPercentile(clip, hits, 'image-text', options.minPercentile);
  }
}

/** Top-k of an index of image embeddings by a text query, with percentiles. */
export async function searchByText<M>(
  clip: ClipPort,
  index: VectorIndex<M>,
  text: string,
  k: number,
  options: RetrievalOptions = {},
): Promise<PercentileCut<SearchHit<M>>> {
  const [query] = await clip.embedTexts([text]);
  return cutByPercentile(clip, index.search(query!, k), 'image-text', options.minPercentile);
}

/** Top-k of an index of image embeddings by an image query, with image–image percentiles. */
export async function searchByImage<M>(
  clip: ClipPort,
  index: VectorIndex<M>,
  image: ImageInput,
  k: number,
  options: RetrievalOptions = {},
): Promise<PercentileCut<SearchHit<M>>> {
  const [query] = await clip.embedImages([image]);
  return cutByPercentile(clip, index.search(query!, k), 'image-image', options.minPercentile);
}
