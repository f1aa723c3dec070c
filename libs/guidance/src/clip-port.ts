import type { Calibration, ImageInput } from '#clip';

/**
 * What guidance needs from a CLIP model. The engine in libs/clip implements it; so can a remote
 * embedding service. Embeddings are L2-normalised.
 */
export interface ClipPort {
  embedTexts(texts: readonly string[]): Promise<Float32Array[]>;
  embedImages(images: readonly ImageInput[]): Promise<Float32Array[]>;
  /** `calibration` gives similarities a percentile (absent or null: percentiles are null). */
  readonly info: { logitScale: number; embeddingDim: number; calibration?: Calibration | null };
}
