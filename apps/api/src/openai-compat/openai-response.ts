import type { ImageGenerator } from '#generators';
import type { EditAlternative } from '../edits/edit.types.js';
import type { RankedCandidate } from '../generation/generation.types.js';
import { CLIPSMITH_MODEL } from './openai-request.js';

/** The image itself, as the request's `response_format` asked. */
export type ImagePayload = { url: string } | { b64_json: string };

/** One entry of `data`: OpenAI's fields, and what clipsmith knows about the image under `clipsmith`. */
export type ImageItem<Details> = ImagePayload & { revised_prompt: null; clipsmith: Details };

export interface ImagesResponse<Details> {
  /** Unix seconds. */
  created: number;
  data: ImageItem<Details>[];
}

export interface GeneratedDetails {
  rank: number;
  similarity: number;
  /** Share (0–100) of mismatched pairs below `similarity`; null when the model has no calibration. */
  percentile: number | null;
  clip_score: number;
  generator: string;
  seed: number | null;
  asset_id: string;
}

export interface EditedDetails {
  /** Which image of the request this edit is of: 0 for the first. */
  image_index: number;
  /** 1 for the best edit of that image; an image has fewer than `n` when the search found fewer. */
  rank: number;
  accepted: boolean;
  directional_similarity: number;
  preservation: number;
  operations: { name: string; params: Record<string, unknown> }[];
  generator: string | null;
  asset_id: string;
}

export interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

export function imagesResponse<Details>(data: ImageItem<Details>[]): ImagesResponse<Details> {
  return { created: Math.floor(Date.now() / 1000), data };
}

export function generatedItem(candidate: RankedCandidate, image: ImagePayload): ImageItem<GeneratedDetails> {
  return {
    ...image,
    revised_prompt: null,
    clipsmith: {
      rank: candidate.rank,
      similarity: candidate.scores.similarity,
      percentile: candidate.scores.percentile,
      clip_score: candidate.scores.clipScore,
      generator: candidate.generator,
      seed: candidate.seed,
      asset_id: candidate.asset.id,
    },
  };
}

export function editedItem(
  edit: EditAlternative,
  of: { image: number; rank: number },
  image: ImagePayload,
): ImageItem<EditedDetails> {
  return {
    ...image,
    revised_prompt: null,
    clipsmith: {
      image_index: of.image,
      rank: of.rank,
      accepted: edit.accepted,
      directional_similarity: edit.directionalSimilarity,
      preservation: edit.preservation,
      operations: edit.operations,
      generator: edit.generator,
      asset_id: edit.asset.id,
    },
  };
}

/** `clipsmith` (every generator, reranked) first, then each configured generator by its id. */
export function modelEntries(generators: readonly ImageGenerator[], created: number): ModelEntry[] {
  return [
    { id: CLIPSMITH_MODEL, object: 'model', created, owned_by: 'clipsmith' },
    ...generators.map((g): ModelEntry => ({ id: g.id, object: 'model', created, owned_by: g.kind })),
  ];
}
