import { CodedError } from '#clip';

/**
 * Every code a GuidanceError can carry, with what it means. Each is a problem with what the caller asked;
 * the API maps each one explicitly (docs/errors.md). A plain Error from guidance is a bug, not input.
 */
export const GUIDANCE_ERROR_CODES = {
  BAD_INSTRUCTION: 'an edit instruction that is empty or not a string',
  BAD_OPERATION:
    'an operator chain or operator list that names an unknown operator or a parameter out of range',
  BAD_MASK: 'an edit mask with no editable (white) pixels',
  BAD_POLICY:
    'a moderation policy with no rules, too many, or a rule without a name, description or valid threshold',
  BAD_LABELS: 'zero-shot classification without labels or templates, or a template without {}',
  BAD_CAPTIONS: 'caption ranking without captions',
  BAD_OPTION:
    'a tuning option out of range: diversity, edit budget, tries, preservation floor, accept threshold, working size, minPercentile (or it on a model without a calibration)',
} as const satisfies Record<string, string>;

/** Stable codes, one of GUIDANCE_ERROR_CODES. */
export type GuidanceErrorCode = keyof typeof GUIDANCE_ERROR_CODES;

/** A request guidance cannot carry out as asked; the message names the field at fault. */
export class GuidanceError extends CodedError<GuidanceErrorCode> {}
