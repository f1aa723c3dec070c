import { GuidanceError } from '../errors.js';

/** A rule in words: what to flag, optionally what is fine, and how sure the model must be. */
export interface ModerationRule {
  name: string;
  /** What to flag, e.g. "a photo of a weapon". */
  description: string;
  /** What looks similar but is fine, e.g. "a toy water pistol"; they compete with the description. */
  counterDescriptions?: readonly string[] | undefined;
  /** Flag when the rule's score reaches this (0–1, default 0.5). */
  threshold?: number | undefined;
}

export interface ModerationPolicy {
  rules: readonly ModerationRule[];
  /**
   * Captions of "anything else" that every rule's description competes with, so a rule without
   * counter-descriptions still has something to lose against. They are phrasings of one competitor
   * (their mean embedding), not one competitor each. Default: DEFAULT_BASELINE.
   */
  baseline?: readonly string[] | undefined;
}

export const DEFAULT_BASELINE: readonly string[] = ['a picture', 'an image', 'a photo'];
export const DEFAULT_THRESHOLD = 0.5;

/** Checks a policy before any model work, naming the rule and field at fault. */
export function validatePolicy(policy: ModerationPolicy, limits: { maxRules: number }): void {
  if (!Array.isArray(policy.rules) || policy.rules.length === 0)
    throw new GuidanceError('BAD_POLICY', 'a policy needs at least one rule');
  if (policy.rules.length > limits.maxRules) {
    throw new GuidanceError(
      'BAD_POLICY',
      `a policy may hold at most ${limits.maxRules} rules (got ${policy.rules.length})`,
    );
  }
  const names = new Set<string>();
  policy.rules.forEach((rule, i) => {
    const where = `rules[${i}]`;
    if (!rule.name?.trim()) throw new GuidanceError('BAD_POLICY', `${where}.name must not be empty`);
    if (names.has(rule.name))
      throw new GuidanceError('BAD_POLICY', `${where}.name "${rule.name}" is used twice`);
    names.add(rule.name);
    if (!rule.description?.trim())
      throw new GuidanceError('BAD_POLICY', `${where}.description must not be empty`);
    const threshold = rule.threshold ?? DEFAULT_THRESHOLD;
    if (!(threshold >= 0 && threshold <= 1))
      throw new GuidanceError('BAD_POLICY', `${where}.threshold must be between 0 and 1`);
    (rule.counterDescriptions ?? []).forEach((c: string, k: number) => {
      if (!c?.trim())
        throw new GuidanceError('BAD_POLICY', `${where}.counterDescriptions[${k}] must not be empty`);
    });
  });
}
