import { changeWithin } from './delta-e.js';
import type { EditMask } from './edit-mask.js';
import type { RgbImage } from './image-io.js';

/**
 * Mean CIEDE2000, over what the edit may change, two edits must differ by to be two answers rather than
 * one: 5 is a clear difference (1 about the least people notice). Below it the runners-up of a search
 * would be its refinements of the winner, a few per cent apart: copies, to whoever asked for choices.
 */
export const DISTINCT_DELTA_E = 5;

/** The edits chosen so far, as the working copy shows them: the next must look different from each. */
export class DistinctEdits {
  private readonly kept: RgbImage[] = [];

  /** `area`: the working copy's mask, where differences count; null for a whole-picture edit. */
  constructor(private readonly area: EditMask | null) {}

  /** Whether `picture` differs visibly from every edit kept. */
  isNew(picture: RgbImage): boolean {
    return this.kept.every((k) => changeWithin(k, picture, this.area) >= DISTINCT_DELTA_E);
  }

  keep(picture: RgbImage): void {
    this.kept.push(picture);
  }
}

/** Accepted edits first, each group in the order given (the search's own ranking). */
export function acceptedFirst<T extends { accepted: boolean }>(edits: readonly T[]): T[] {
  return [...edits.filter((e) => e.accepted), ...edits.filter((e) => !e.accepted)];
}
