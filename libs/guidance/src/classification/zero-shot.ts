import { type Calibration, dot, type ImageInput, meanEmbedding, percentileOf, softmax } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { GuidanceError } from '../errors.js';
import { DEFAULT_TEMPLATES, fillTemplate } from './templates.js';

export interface ClassifyOptions {
  /** Prompt templates with `{}` for the label (default DEFAULT_TEMPLATES); `['{}']` uses labels as they are. */
  templates?: readonly string[] | undefined;
  /** Divides the logits: > 1 softens over-confident probabilities (fit it with fitTemperature). Default 1. */
  temperature?: number | undefined;
}

export interface LabelScore {
  label: string;
  probability: number;
  /** Cosine of the image and the label's template ensemble. */
  similarity: number;
  /** Share (0–100) of the model's mismatched pairs scoring below `similarity`; null uncalibrated. */
  percentile: number | null;
}

/** One normalised text embedding per label: the mean over the templates. */
export async function labelEmbeddings(
  clip: ClipPort,
  labels: readonly string[],
  templates: readonly string[] = DEFAULT_TEMPLATES,
): Promise<Float32Array[]> {
  if (labels.length === 0) throw new GuidanceError('BAD_LABELS', 'at least one label is needed');
  if (templates.length === 0) throw new GuidanceError('BAD_LABELS', 'at least one template is needed');
  const texts = labels.flatMap((label) => templates.map((t) => fillTemplate(t, label)));
  const embeddings = await clip.embedTexts(texts);
  return labels.map((_, i) =>
    meanEmbedding(embeddings.slice(i * templates.length, (i + 1) * templates.length)),
  );
}

/** Zero-shot classification: probabilities over the labels, best first. */
export async function classify(
  clip: ClipPort,
  image: ImageInput,
  labels: readonly string[],
  options: ClassifyOptions = {},
): Promise<LabelScore[]> {
  const [[embedding], classes] = await Promise.all([
    clip.embedImages([image]),
    labelEmbeddings(clip, labels, options.templates),
  ]);
  return scoreLabels(
    embedding!,
    labels,
    classes,
    clip.info.logitScale / (options.temperature ?? 1),
    clip.info.calibration,
  );
}

/** Scores one image embedding against prepared label embeddings (reuse them across many images). */
export function scoreLabels(
  image: Float32Array,
  labels: readonly string[],
  classes: readonly Float32Array[],
  scale: number,
  calibration: Calibration | null = null,
): LabelScore[] {
  const similarities = classes.map((c) => dot(image, c));
  const probabilities = softmax(similarities.map((s) => s * scale));
  return labels
    .map((label, i) => ({
      label,
      probability: probabilities[i]!,
      similarity: similarities[i]!,
      percentile: percentileOf(calibration, similarities[i]!),
    }))
    .sort((a, b) => b.probability - a.probability);
}

/**
 * Temperature scaling (Guo et al. 2017): the T in [0.05, 20] that minimises the negative log-likelihood
 * of the true labels, found by golden-section search over log T. `similarities[i]` are one example's
 * cosines to every class, `truth[i]` the index of its true class.
 */
export function fitTemperature(
  similarities: readonly number[][],
  truth: readonly number[],
  logitScale: number,
): number {
  const nll = (logT: number): number => {
    const scale = logitScale / Math.exp(logT);
    return similarities.reduce(
      (sum, row, i) => sum - Math.log(softmax(row.map((s) => s * scale))[truth[i]!]! + 1e-12),
      0,
    );
  };
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const phi = (Math.sqrt(5) - 1) / 2;
  for (let step = 0; step < 60; step++) {
    const a = hi - phi * (hi - lo);
    const b = lo + phi * (hi - lo);
    if (nll(a) < nll(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
