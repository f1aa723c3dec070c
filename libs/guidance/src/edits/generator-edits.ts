import { verifyImage } from '#clip';
import {
  type Candidate,
  fanOut,
  type FanOutOptions,
  type GenerationFailure,
  type GeneratorOutcome,
  type ImageGenerator,
} from '#generators';
import type { ClipPort } from '../clip-port.js';
import {
  type EditCriteria,
  type EditScores,
  embedDirection,
  isAccepted,
  isEligible,
  keepsImage,
  rankEdits,
  resolveCriteria,
  scoreEdit,
} from './edit-scores.js';
import { parseInstruction, type TextOverrides } from './instruction.js';

export interface GeneratorEditOptions extends Partial<EditCriteria>, TextOverrides {
  /** Edits to ask each generator for (default 4). */
  tries?: number;
  fanOut: FanOutOptions;
  seed?: number;
  /** How far to move from the source, 0–1, where the backend supports it. */
  strength?: number;
  negativePrompt?: string;
  /** Backend-specific settings passed through (steps, image guidance scale, …). */
  parameters?: Record<string, unknown>;
}

export interface GeneratorEdit {
  candidate: Candidate;
  rank: number;
  scores: EditScores;
  keepsImage: boolean;
  /** Keeps the image and moves toward the text: may be chosen. */
  eligible: boolean;
  accepted: boolean;
}

export interface GeneratorEditResult {
  /** Every edit that came back, best first, by the same rules as editImage. */
  ranked: GeneratorEdit[];
  /** The first of `ranked` when it is eligible, else null: an edit under the floor is never chosen. */
  best: GeneratorEdit | null;
  sourceText: string;
  targetText: string;
  rule: string;
  errors: GenerationFailure[];
  outcomes: GeneratorOutcome[];
}

/**
 * Edits through generators' image-to-image (an instruct-pix2pix model behind a plugin, say): the
 * instruction is the prompt, each generator makes `tries` edits, and CLIP ranks them by directional
 * similarity under the preservation floor, as editImage ranks its own.
 */
export async function editWithGenerators(
  clip: ClipPort,
  generators: readonly ImageGenerator[],
  image: Uint8Array,
  instruction: string,
  options: GeneratorEditOptions,
): Promise<GeneratorEditResult> {
  const tries = options.tries ?? 4;
  if (!Number.isInteger(tries) || tries < 1) throw new RangeError('tries must be a whole number, at least 1');
  const criteria = resolveCriteria(options);
  const parsed = parseInstruction(instruction, options);
  const info = await verifyImage(image, options.fanOut.imageLimits);
  const { candidates, errors, outcomes } = await fanOut(
    generators,
    {
      prompt: instruction,
      count: tries,
      image: { bytes: image, mimeType: info.mimeType, width: info.width, height: info.height },
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(options.strength !== undefined && { strength: options.strength }),
      ...(options.negativePrompt && { negativePrompt: options.negativePrompt }),
      ...(options.parameters && { parameters: options.parameters }),
    },
    options.fanOut,
  );
  const [texts, [original, ...edited]] = await Promise.all([
    embedDirection(clip, parsed.sourceText, parsed.targetText),
    clip.embedImages([image, ...candidates.map((c) => c.bytes)]),
  ]);
  const scored = candidates.map((candidate, i) => ({
    candidate,
    scores: scoreEdit(original!, edited[i]!, texts),
  }));
  const ranked = rankEdits(scored, (s) => s.scores, criteria).map((s, i): GeneratorEdit => ({
    ...s,
    rank: i + 1,
    keepsImage: keepsImage(s.scores, criteria),
    eligible: isEligible(s.scores, criteria),
    accepted: isAccepted(s.scores, criteria),
  }));
  const first = ranked[0];
  return {
    ranked,
    best: first?.eligible ? first : null,
    sourceText: parsed.sourceText,
    targetText: parsed.targetText,
    rule: parsed.rule,
    errors,
    outcomes,
  };
}
