import {
  DEFAULT_IMAGE_LIMITS,
  decodeRgb,
  dot,
  type ImageLimits,
  isVerifiedImage,
  meanEmbedding,
  type RgbImage,
  softmax,
  type VerifiedImage,
} from '#clip';
import type { ClipPort } from '../clip-port.js';
import { renderHeatmap } from './heatmap.js';
import {
  DEFAULT_BASELINE,
  DEFAULT_THRESHOLD,
  type ModerationPolicy,
  type ModerationRule,
  validatePolicy,
} from './policy.js';
import { cropPixels, DEFAULT_REFINE_OPTIONS, type RefineOptions, refineRegion } from './refine-region.js';
import { type Box, contextSquare, nonMaximumSuppression, slidingWindows } from './windows.js';

export interface ModerationOptions {
  /** Window sides as fractions of the image's shorter side; the whole image is always scored too. */
  scales?: readonly number[];
  /** Step between windows as a fraction of their side (default 0.5). */
  stride?: number;
  /** Regions reported per rule (default 3). */
  maxRegions?: number;
  /**
   * Best windows (after non-maximum suppression) localised and seen again per rule, best first, stopping
   * at the first whose view reaches the threshold (default 2).
   */
  maxCandidates?: number;
  /**
   * Sides, as multiples of the localised region's longer side, of the square views around it that score
   * a candidate: its score is the best of them (default DEFAULT_CONFIRM_CONTEXTS, one CLIP evaluation
   * each; [] keeps the window's own score).
   */
  confirmContexts?: readonly number[];
  /**
   * Cells per side of the occlusion grid that localises a candidate where the image has no plain ground
   * (default 6: 26 CLIP evaluations; 0 keeps the window). On a plain ground the objects on it are erased
   * one at a time instead (1 + at most `refine.maxComponents` evaluations).
   */
  refineGrid?: number;
  /** The rest of the localisation's settings (see RefineOptions). */
  refine?: Partial<Omit<RefineOptions, 'grid'>>;
  /** Longest side of the heat-map image (default 512). */
  heatmapMaxSide?: number;
  maxRules?: number;
  imageLimits?: ImageLimits;
}

export const DEFAULT_SCALES: readonly number[] = [0.6, 0.4, 0.25];
/** From the region alone to the region in two and a half times its size: models differ in the context they like. */
export const DEFAULT_CONFIRM_CONTEXTS: readonly number[] = [1, 1.25, 1.5, 2, 2.5];

export interface RegionScore extends Box {
  score: number;
}

export interface RuleDecision {
  name: string;
  /**
   * The rule's score, 0–1: that of the region localised in its best window, seen with context around it
   * (the best of the confirmation views; of the candidates tried, the best). Flagged at the threshold.
   */
  score: number;
  /** The best score over the whole image and every window: where to look, not the verdict. */
  windowScore: number;
  /** The score of the whole image alone. */
  imageScore: number;
  threshold: number;
  flagged: boolean;
  /**
   * Where the rule fired, in input pixels (reported whether or not it is flagged): first the localised
   * candidates, best first (the first scores `score`), then the next windows by their own scores.
   */
  regions: RegionScore[];
}

export interface ModerationResult {
  flagged: boolean;
  width: number;
  height: number;
  rules: RuleDecision[];
  /** The highest-scoring rule's map over the image, as a PNG overlay. */
  /** The heat map as a PNG, and as a verified image ready to store. */
  heatmap: { rule: string; png: Buffer; width: number; height: number; image: VerifiedImage };
  /** Windows scored, the whole image included. */
  windows: number;
  /** CLIP image evaluations spent: the windows, then localisation and confirmation of candidates. */
  evaluations: number;
}

/**
 * Moderation by rules in words. Each rule's description competes in a softmax with its
 * counter-descriptions and a neutral baseline, over the whole image and over sliding windows at several
 * scales, so a small offending object is not diluted by the rest of the picture. The best windows are
 * candidates: the region in each that carries the evidence is localised (refineRegion), then seen again,
 * centred, with several amounts of context around it; the rule's score is the best of those views. The
 * windows say where to look, the views decide: a window can score high on a fragment (the corner of one
 * shape, a patch of the right colour) that the whole object around it does not, and low on an object it
 * cuts off-centre.
 */
export async function moderate(
  clip: ClipPort,
  image: Uint8Array | { rgb: RgbImage } | VerifiedImage,
  policy: ModerationPolicy,
  options: ModerationOptions = {},
): Promise<ModerationResult> {
  validatePolicy(policy, { maxRules: options.maxRules ?? 32 });
  const rgb = isVerifiedImage(image)
    ? image.pixels.rgb
    : 'rgb' in image
      ? image.rgb
      : await decodeRgb(image, options.imageLimits ?? DEFAULT_IMAGE_LIMITS, 'moderation');
  const windows = slidingWindows(
    rgb.width,
    rgb.height,
    options.scales ?? DEFAULT_SCALES,
    options.stride ?? 0.5,
  );
  const baseline = policy.baseline ?? DEFAULT_BASELINE;
  const rulesTexts = policy.rules.map((rule) => [rule.description, ...(rule.counterDescriptions ?? [])]);
  const uniqueTexts = [...new Set([...rulesTexts.flat(), ...baseline])];
  const [textEmbeddings, windowEmbeddings] = await Promise.all([
    clip.embedTexts(uniqueTexts),
    clip.embedImages(windows.map((box) => ({ rgb: cropPixels(rgb, box) }))),
  ]);
  const byText = new Map(uniqueTexts.map((t, i) => [t, textEmbeddings[i]!]));
  // The baseline is one competitor, "anything else", however many phrasings it has: their mean, as a
  // template ensemble (Radford et al. 2021), not one vote per phrasing.
  const neutral = baseline.length > 0 ? [meanEmbedding(baseline.map((t) => byText.get(t)!))] : [];
  const localiser: Localiser = {
    clip,
    image: rgb,
    refine: {
      ...DEFAULT_REFINE_OPTIONS,
      ...options.refine,
      grid: options.refineGrid ?? DEFAULT_REFINE_OPTIONS.grid,
    },
    contexts: options.confirmContexts ?? DEFAULT_CONFIRM_CONTEXTS,
    maxCandidates: options.maxCandidates ?? 2,
    evaluations: windows.length,
  };
  const decisions = [];
  for (const [r, rule] of policy.rules.entries()) {
    const texts = [...rulesTexts[r]!.map((t) => byText.get(t)!), ...neutral];
    const logits = (e: Float32Array): number[] => texts.map((t) => clip.info.logitScale * dot(e, t));
    const scores = windowEmbeddings.map((w) => softmax(logits(w))[0]!);
    const decision = await decide(rule, windows, scores, {
      localiser,
      maxRegions: options.maxRegions ?? 3,
      score: (e) => softmax(logits(e))[0]!,
      evidence: (e) => logOdds(logits(e)),
    });
    decisions.push({ rule, scores, decision });
  }
  const top = decisions.reduce((best, d) => (d.decision.score > best.decision.score ? d : best));
  const heatmap = await renderHeatmap(rgb, windows, top.scores, options.heatmapMaxSide ?? 512);
  return {
    flagged: decisions.some((d) => d.decision.flagged),
    width: rgb.width,
    height: rgb.height,
    rules: decisions.map((d) => d.decision),
    heatmap: { rule: top.rule.name, ...heatmap },
    windows: windows.length,
    evaluations: localiser.evaluations,
  };
}

interface Localiser {
  clip: ClipPort;
  image: RgbImage;
  refine: RefineOptions;
  contexts: readonly number[];
  maxCandidates: number;
  /** Running count of CLIP image evaluations. */
  evaluations: number;
}

async function decide(
  rule: ModerationRule,
  windows: readonly Box[],
  scores: readonly number[],
  how: {
    localiser: Localiser;
    maxRegions: number;
    /** The rule's score of one image embedding (softmax probability of the description). */
    score: (embedding: Float32Array) => number;
    /** What localisation attributes: the description's log-odds against the rule's other texts. */
    evidence: (embedding: Float32Array) => number;
  },
): Promise<RuleDecision> {
  const threshold = rule.threshold ?? DEFAULT_THRESHOLD;
  const windowScore = Math.max(...scores);
  const ranked = nonMaximumSuppression(
    windows.map((box, i) => ({ box, score: scores[i]! })),
    0.3,
    Math.max(how.maxRegions, how.localiser.maxCandidates),
  );
  const localised: RegionScore[] = [];
  for (const candidate of ranked.slice(0, how.localiser.maxCandidates)) {
    const region = await localise(how.localiser, candidate.box, how.score, how.evidence);
    localised.push({ ...region.box, score: region.score ?? candidate.score });
    if (localised.at(-1)!.score >= threshold) break;
  }
  localised.sort((a, b) => b.score - a.score);
  const rest = ranked.slice(localised.length).map(({ box, score }) => ({ ...box, score }));
  const score = localised[0]?.score ?? windowScore;
  return {
    name: rule.name,
    score,
    windowScore,
    imageScore: scores[0]!,
    threshold,
    flagged: score >= threshold,
    regions: [...localised, ...rest].slice(0, how.maxRegions),
  };
}

/** The region of a candidate window that carries the evidence, and its score seen with context around it. */
async function localise(
  localiser: Localiser,
  window: Box,
  score: (embedding: Float32Array) => number,
  evidence: (embedding: Float32Array) => number,
): Promise<{ box: Box; score: number | null }> {
  const { clip, image } = localiser;
  const refined = await refineRegion(clip, image, window, evidence, localiser.refine);
  const views = localiser.contexts.map((c) => ({
    rgb: cropPixels(image, contextSquare(refined.box, c, image.width, image.height)),
  }));
  if (views.length === 0) {
    localiser.evaluations += refined.evaluations;
    return { box: refined.box, score: null };
  }
  const embeddings = await clip.embedImages(views);
  localiser.evaluations += refined.evaluations + views.length;
  return { box: refined.box, score: Math.max(...embeddings.map(score)) };
}

/** Log-odds of the first logit against all the others under a softmax (the logit itself when alone). */
function logOdds(logits: readonly number[]): number {
  const [first, ...rest] = logits;
  if (rest.length === 0) return first!;
  const max = Math.max(...rest);
  return first! - (max + Math.log(rest.reduce((sum, l) => sum + Math.exp(l - max), 0)));
}
