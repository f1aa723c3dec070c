/**
 * Score formulas over embeddings. Every function takes L2-normalised vectors unless it says otherwise,
 * so a cosine is a dot product. Vectors of different lengths are a caller's bug (a plain RangeError);
 * an empty list a request can send is a ClipError.
 */
import { ClipError } from './errors.js';

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vector lengths differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Returns a unit-length copy; a zero vector stays zero rather than becoming NaN. */
export function l2Normalize(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  const norm = Math.sqrt(dot(out, out));
  if (norm > 0) for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

/** Cosine similarity of two vectors of any length (normalises both). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const na = Math.sqrt(dot(a, a));
  const nb = Math.sqrt(dot(b, b));
  return na === 0 || nb === 0 ? 0 : dot(a, b) / (na * nb);
}

export function subtract(a: ArrayLike<number>, b: ArrayLike<number>): Float32Array {
  if (a.length !== b.length) throw new RangeError(`vector lengths differ: ${a.length} vs ${b.length}`);
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** Element-wise mean of normalised vectors, normalised again (prompt-template ensembles). */
export function meanEmbedding(vectors: readonly ArrayLike<number>[]): Float32Array {
  const first = vectors[0];
  if (!first) throw new ClipError('BAD_INPUT', 'meanEmbedding needs at least one vector');
  const sum = new Float32Array(first.length);
  for (const v of vectors) for (let i = 0; i < sum.length; i++) sum[i]! += v[i]!;
  return l2Normalize(sum);
}

/** CLIP logits: the logit scale times the cosine of normalised embeddings. */
export function logits(
  image: ArrayLike<number>,
  texts: readonly ArrayLike<number>[],
  logitScale: number,
): number[] {
  return texts.map((t) => logitScale * dot(image, t));
}

/** Numerically stable softmax. */
export function softmax(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

/** The weight CLIPScore puts on the cosine (Hessel et al. 2021, w = 2.5). */
export const CLIP_SCORE_WEIGHT = 2.5;

/** CLIPScore(c, v) = w · max(cos(c, v), 0). */
export function clipScore(
  image: ArrayLike<number>,
  caption: ArrayLike<number>,
  weight = CLIP_SCORE_WEIGHT,
): number {
  return weight * Math.max(dot(image, caption), 0);
}

/**
 * RefCLIPScore = harmonic mean of CLIPScore(c, v) and max(max_r cos(c, r), 0) over the references r
 * (Hessel et al. 2021, eq. 2). Returns 0 when either side is 0.
 */
export function refClipScore(
  image: ArrayLike<number>,
  caption: ArrayLike<number>,
  references: readonly ArrayLike<number>[],
  weight = CLIP_SCORE_WEIGHT,
): number {
  if (references.length === 0)
    throw new ClipError('BAD_INPUT', 'refClipScore needs at least one reference caption');
  const imagePart = clipScore(image, caption, weight);
  const referencePart = Math.max(...references.map((r) => dot(caption, r)), 0);
  return imagePart + referencePart === 0 ? 0 : (2 * imagePart * referencePart) / (imagePart + referencePart);
}

/**
 * Directional similarity of an edit (Gal et al., StyleGAN-NADA; used by InstructPix2Pix):
 * cos(E(img_edit) − E(img_src), E(txt_tgt) − E(txt_src)). 0 when either direction is null.
 */
export function directionalSimilarity(
  sourceImage: ArrayLike<number>,
  editedImage: ArrayLike<number>,
  sourceText: ArrayLike<number>,
  targetText: ArrayLike<number>,
): number {
  return cosineSimilarity(subtract(editedImage, sourceImage), subtract(targetText, sourceText));
}
