import { GuidanceError } from '../errors.js';

/**
 * Prompt templates for zero-shot classification; `{}` stands for the label. Averaging a label's
 * normalised embeddings over several templates (an ensemble) is steadier than any one phrasing
 * (Radford et al. 2021, §3.1.4).
 */
export const DEFAULT_TEMPLATES: readonly string[] = [
  'a photo of {}.',
  'a picture of {}.',
  'a rendering of {}.',
  'an image of {}.',
  'a drawing of {}.',
  '{}',
];

export function fillTemplate(template: string, label: string): string {
  if (!template.includes('{}'))
    throw new GuidanceError('BAD_LABELS', `template "${template}" has no {} for the label`);
  return template.replaceAll('{}', label);
}
