import { DEFAULT_IMAGE_LIMITS, decodeRgb, dot, type ImageLimits, type RgbImage, softmax } from '#clip';
import type { ClipPort } from '../clip-port.js';
import { renderHeatmap } from './heatmap.js';
import { cropPixels, refineRegion } from './refine-region.js';
import {
  DEFAULT_BASELINE,
  DEFAULT_THRESHOLD,
  type ModerationPolicy,
  type ModerationRule,
  validatePolicy,
} from './policy.js';
import { type Box, nonMaximumSuppression, slidingWindows } from './windows.js';

export interface ModerationOptions {
  /** Window sides as fractions of the image's shorter side; the whole image is always scored too. */
  scales?: readonly number[];
  /** Step between windows as a fraction of their side (default 0.5). */
  stride?: number;
  /** Regions reported per rule (default 3). */
  maxRegions?: number;
  /**
   * Cells per side of the occlusion grid that tightens each flagged rule's top region to what the
   * description names (default 6, i.e. 36 more CLIP evaluations per flagged rule; 0 turns it off).
   */
  refineGrid?: number;
  /** Longest side of the heat-map image (default 512). */
  heatmapMaxSide?: number;
  maxRules?: number;
  imageLimits?: ImageLimits;
}

export const DEFAULT_SCALES: readonly number[] = [0.6, 0.4, 0.25];

export interface RegionScore extends Box {
  score: number;
}

export interface RuleDecision {
  name: string;
  /** The rule's score: its best over the whole image and every window, 0–1. */
  score: number;
  /** The score of the whole image alone. */
  imageScore: number;
  threshold: number;
  flagged: boolean;
  /** Where the rule fired most, in input pixels, best first (reported whether or not it is flagged). */
  regions: RegionScore[];
}

export interface ModerationResult {
  flagged: boolean;
  width: number;
  height: number;
  rules: RuleDecision[];
  /** The highest-scoring rule's map over the image, as a PNG overlay. */
  heatmap: { rule: string; png: Buffer; width: number; height: number };
  windows: number;
}

/**
 * Moderation by rules in words. Each rule's description competes in a softmax with its
 * counter-descriptions and a baseline of neutral captions, over the whole image and over sliding windows
 * at several scales; the rule's score is its best, so a small offending object is not diluted by the
 * rest of the picture, and the windows that score highest say where it is.
 */
export async function moderate(
  clip: ClipPort,
  image: Uint8Array | { rgb: RgbImage },
  policy: ModerationPolicy,
  options: ModerationOptions = {},
): Promise<ModerationResult> {
  validatePolicy(policy, { maxRules: options.maxRules ?? 32 });
  const rgb =
    'rgb' in image ? image.rgb : await decodeRgb(image, options.imageLimits ?? DEFAULT_IMAGE_LIMITS);
  const windows = slidingWindows(
    rgb.width,
    rgb.height,
    options.scales ?? DEFAULT_SCALES,
    options.stride ?? 0.5,
  );
  const baseline = policy.baseline ?? DEFAULT_BASELINE;
  const rulesTexts = policy.rules.map((rule) => [
    rule.description,
    ...(rule.counterDescriptions ?? []),
    ...baseline,
  ]);
  const uniqueTexts = [...new Set(rulesTexts.flat())];
  const [textEmbeddings, windowEmbeddings] = await Promise.all([
    clip.embedTexts(uniqueTexts),
    clip.embedImages(windows.map((box) => ({ rgb: cropPixels(rgb, box) }))),
  ]);
  const byText = new Map(uniqueTexts.map((t, i) => [t, textEmbeddings[i]!]));
  const decisions = policy.rules.map((rule, r) => {
    const texts = rulesTexts[r]!.map((t) => byText.get(t)!);
    const scores = windowEmbeddings.map(
      (w) => softmax(texts.map((t) => clip.info.logitScale * dot(w, t)))[0]!,
    );
    return { rule, scores, decision: decide(rule, windows, scores, options.maxRegions ?? 3) };
  });
  const grid = options.refineGrid ?? 6;
  for (const { rule, decision } of decisions) {
    const best = decision.regions[0];
    if (!decision.flagged || !best || grid < 2) continue;
    const refined = await refineRegion(clip, rgb, best, byText.get(rule.description)!, grid);
    decision.regions[0] = { ...refined, score: best.score };
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
  };
}

function decide(
  rule: ModerationRule,
  windows: readonly Box[],
  scores: readonly number[],
  maxRegions: number,
): RuleDecision {
  const threshold = rule.threshold ?? DEFAULT_THRESHOLD;
  const score = Math.max(...scores);
  const regions = nonMaximumSuppression(
    windows.map((box, i) => ({ box, score: scores[i]! })),
    0.3,
    maxRegions,
  ).map(({ box, score: s }) => ({ ...box, score: s }));
  return { name: rule.name, score, imageScore: scores[0]!, threshold, flagged: score >= threshold, regions };
}
