import { clipScore, dot, type ImageInput, refClipScore, softmax } from '#clip';
import { similarityPercentile } from '../calibration/percentile.js';
import type { ClipPort } from '../clip-port.js';
import { GuidanceError } from '../errors.js';

export interface CaptionItem {
  image: ImageInput;
  caption: string;
  /** Human reference captions; with them, RefCLIPScore is computed too. */
  references?: readonly string[] | undefined;
}

export interface CaptionScore {
  /** Raw cosine of image and caption. */
  similarity: number;
  /** Share (0–100) of the model's mismatched pairs scoring below `similarity`; null uncalibrated. */
  percentile: number | null;
  /** 2.5 · max(cos, 0). */
  clipScore: number;
  /** Harmonic mean of CLIPScore and the best reference cosine; null without references. */
  refClipScore: number | null;
}

/** CLIPScore and RefCLIPScore (Hessel et al. 2021) for many image–caption pairs, in one batch per tower. */
export async function scoreCaptions(clip: ClipPort, items: readonly CaptionItem[]): Promise<CaptionScore[]> {
  const texts = [...new Set(items.flatMap((i) => [i.caption, ...(i.references ?? [])]))];
  const [images, embeddings] = await Promise.all([
    clip.embedImages(items.map((i) => i.image)),
    clip.embedTexts(texts),
  ]);
  const textEmbedding = new Map(texts.map((t, k) => [t, embeddings[k]!]));
  return items.map((item, i) => {
    const image = images[i]!;
    const caption = textEmbedding.get(item.caption)!;
    const references = (item.references ?? []).map((r) => textEmbedding.get(r)!);
    const similarity = dot(image, caption);
    return {
      similarity,
      percentile: similarityPercentile(clip, similarity),
      clipScore: clipScore(image, caption),
      refClipScore: references.length > 0 ? refClipScore(image, caption, references) : null,
    };
  });
}

export interface RankedCaption {
  caption: string;
  similarity: number;
  /** Share (0–100) of the model's mismatched pairs scoring below `similarity`; null uncalibrated. */
  percentile: number | null;
  clipScore: number;
  /** Softmax over the given captions at the model's logit scale. */
  probability: number;
}

/** Which of these captions fits the image best, best first. */
export async function rankCaptions(
  clip: ClipPort,
  image: ImageInput,
  captions: readonly string[],
): Promise<RankedCaption[]> {
  if (captions.length === 0)
    throw new GuidanceError('BAD_CAPTIONS', 'rankCaptions needs at least one caption');
  const [[embedding], texts] = await Promise.all([clip.embedImages([image]), clip.embedTexts(captions)]);
  const similarities = texts.map((t) => dot(embedding!, t));
  const probabilities = softmax(similarities.map((s) => s * clip.info.logitScale));
  return captions
    .map((caption, i) => ({
      caption,
      similarity: similarities[i]!,
      percentile: similarityPercentile(clip, similarities[i]!),
      clipScore: clipScore(embedding!, texts[i]!),
      probability: probabilities[i]!,
    }))
    .sort((a, b) => b.similarity - a.similarity);
}
