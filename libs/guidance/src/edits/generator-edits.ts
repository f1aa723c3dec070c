import { isVerifiedImage, type VerifiedImage, verifyImage } from '#clip';
import {
  type Candidate,
  fanOut,
  type FanOutOptions,
  type GenerationFailure,
  type GenerationRequest,
  type SourceImage,
  type GeneratorOutcome,
  type ImageGenerator,
} from '#generators';
import type { ClipPort } from '../clip-port.js';
import {
  type EditCriteria,
  type EditScores,
  embedDirection,
  isAcceptedLocally,
  isEligible,
  keepsImage,
  rankEdits,
  resolveCriteria,
  scoreEdit,
} from './edit-scores.js';
import { GuidanceError } from '../errors.js';
import { outsideChange } from './delta-e.js';
import { decideArea, type EditArea } from './edit-area.js';
import { checkedAlternatives, EDIT_DEFAULTS } from './edit-search.js';
import { acceptedFirst, DistinctEdits } from './distinct-edits.js';
import { type EditMask, maskPng, type Region } from './edit-mask.js';
import { downscale, resizeRgb, type RgbImage } from './image-io.js';
import { parseInstruction, type TextOverrides } from './instruction.js';
import type { LocateOptions } from './locate-part.js';

export interface GeneratorEditOptions extends Partial<EditCriteria>, TextOverrides {
  /** Edits to ask each generator for (default 4). */
  tries?: number;
  /** Edits to pick beside the best (default 0): the next that look different from it and each other. */
  alternatives?: number;
  fanOut: FanOutOptions;
  seed?: number;
  /** How far to move from the source, 0–1, where the backend supports it. */
  strength?: number;
  negativePrompt?: string;
  /** Backend-specific settings passed through (steps, image guidance scale, …). */
  parameters?: Record<string, unknown>;
  /** Where to edit, as for editImage: a caller's mask (white = editable) over the part the instruction names. */
  mask?: Uint8Array;
  locate?: Partial<LocateOptions>;
}

export interface GeneratorEdit {
  candidate: Candidate;
  rank: number;
  scores: EditScores;
  /** Mean CIEDE2000 outside the area, against the source; null for a whole-picture edit. */
  outsideChange: number | null;
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
  /**
   * Up to 1 + `alternatives` edits that look different from each other (DISTINCT_DELTA_E), taken down
   * `ranked` (so ineligible ones only after every eligible one), accepted edits first; empty when none
   * came back.
   */
  picked: GeneratorEdit[];
  sourceText: string;
  targetText: string;
  rule: string;
  /** The part or mask the edit was confined to (sent to generators that inpaint), or null for all of it. */
  area: { source: EditArea['source']; part: string | null; mask: VerifiedImage; region: Region } | null;
  /** Why nothing was asked for when the named part was not found; null otherwise. */
  reason: string | null;
  errors: GenerationFailure[];
  outcomes: GeneratorOutcome[];
}

/**
 * Edits through generators' image-to-image (an instruct-pix2pix model behind a plugin, say): the
 * instruction is the prompt, each generator makes `tries` edits, and CLIP ranks them by directional
 * similarity under the preservation floor, as editImage ranks its own. When the instruction names a part
 * (or a mask is given) it is located as editImage locates it, generators that inpaint are sent its mask,
 * and an edit that changes more than maxOutsideChange outside it is not accepted.
 */
export async function editWithGenerators(
  clip: ClipPort,
  generators: readonly ImageGenerator[],
  image: Uint8Array | VerifiedImage,
  instruction: string,
  options: GeneratorEditOptions,
): Promise<GeneratorEditResult> {
  const tries = options.tries ?? 4;
  if (!Number.isInteger(tries) || tries < 1)
    throw new GuidanceError('BAD_OPTION', 'tries must be a whole number, at least 1');
  const wanted = 1 + checkedAlternatives(options.alternatives);
  const criteria = resolveCriteria(options);
  const parsed = parseInstruction(instruction, options);
  const source = isVerifiedImage(image) ? image : await verifyImage(image, options.fanOut.imageLimits);
  const full = source.pixels.rgb;
  const working = await downscale(full, EDIT_DEFAULTS.workingSize);
  const decision = await decideArea(
    clip,
    { working, full },
    { mask: options.mask, part: parsed.part, locate: options.locate },
    options.fanOut.imageLimits,
  );
  if (decision.kind === 'absent') {
    return {
      ranked: [],
      best: null,
      picked: [],
      ...pick(parsed),
      area: null,
      reason: decision.reason,
      errors: [],
      outcomes: [],
    };
  }
  const area = decision.kind === 'area' ? decision.area : null;
  // Inpainting generators get the mask; the others repaint everything and are judged outside it.
  const maskImage = area && (await maskPng(area.full));
  const mask: SourceImage | null = maskImage && {
    bytes: maskImage.bytes,
    mimeType: 'image/png',
    width: source.width,
    height: source.height,
  };
  const request: GenerationRequest = {
    prompt: instruction,
    count: tries,
    image: { bytes: source.bytes, mimeType: source.mimeType, width: source.width, height: source.height },
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.strength !== undefined && { strength: options.strength }),
    ...(options.negativePrompt && { negativePrompt: options.negativePrompt }),
    ...(options.parameters && { parameters: options.parameters }),
  };
  const groups: [readonly ImageGenerator[], GenerationRequest][] = mask
    ? [
        [generators.filter((g) => g.capabilities.inpainting), { ...request, mask }],
        [generators.filter((g) => !g.capabilities.inpainting), request],
      ]
    : [[generators, request]];
  const runs = await Promise.all(
    groups.filter(([some]) => some.length > 0).map(([some, r]) => fanOut(some, r, options.fanOut)),
  );
  const candidates = runs.flatMap((r) => r.candidates);
  const [direction, [original, ...edited]] = await Promise.all([
    embedDirection(clip, parsed.sourceText, parsed.targetText),
    clip.embedImages([source, ...candidates.map((c) => c.image)]),
  ]);
  const scored = await Promise.all(
    candidates.map(async (candidate, i) => ({
      candidate,
      scores: scoreEdit(original!, edited[i]!, direction),
      outsideChange: area ? await changeOutside(full, candidate.image, area) : null,
    })),
  );
  const ranked = rankEdits(scored, (s) => s.scores, criteria).map((s, i): GeneratorEdit => ({
    ...s,
    rank: i + 1,
    keepsImage: keepsImage(s.scores, criteria),
    eligible: isEligible(s.scores, criteria),
    accepted: isAcceptedLocally(s.scores, s.outsideChange, criteria),
  }));
  const first = ranked[0];
  return {
    ranked,
    best: first?.eligible ? first : null,
    picked: await pickDistinct(ranked, wanted, working, area?.working ?? null),
    ...pick(parsed),
    area: area && { source: area.source, part: area.part, mask: maskImage!, region: area.region },
    reason: null,
    errors: runs.flatMap((r) => r.errors),
    outcomes: runs.flatMap((r) => r.outcomes),
  };
}

function pick({ sourceText, targetText, rule }: { sourceText: string; targetText: string; rule: string }) {
  return { sourceText, targetText, rule };
}

/** The edit's mean CIEDE2000 outside the area, the edit brought to the source's size first. */
async function changeOutside(source: RgbImage, edit: VerifiedImage, area: EditArea): Promise<number> {
  return outsideChange(source, await resizeRgb(edit.pixels.rgb, source.width, source.height), area.full);
}

/** The first `count` of `ranked` that look different from each other, compared as working copies. */
async function pickDistinct(
  ranked: readonly GeneratorEdit[],
  count: number,
  working: RgbImage,
  area: EditMask | null,
): Promise<GeneratorEdit[]> {
  const distinct = new DistinctEdits(area);
  const picked: GeneratorEdit[] = [];
  for (const edit of ranked) {
    if (picked.length === count) break;
    const preview = await resizeRgb(edit.candidate.image.pixels.rgb, working.width, working.height);
    if (!distinct.isNew(preview)) continue;
    distinct.keep(preview);
    picked.push(edit);
  }
  return acceptedFirst(picked);
}
