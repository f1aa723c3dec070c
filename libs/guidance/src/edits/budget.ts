import { GuidanceError } from '../errors.js';

/**
 * The CLIP image evaluations an edit may spend, counted in one place. Stages are handed ceilings (spend
 * up to here) from a BudgetPlan; only `spend` moves the count.
 */
export class Budget {
  private used = 0;

  /** `onSpend` hears each spending (a job's progress); `signal` stops the search at the next one. */
  constructor(
    readonly total: number,
    private readonly watch: { onSpend?: (spent: number, total: number) => void; signal?: AbortSignal } = {},
  ) {}

  get spent(): number {
    return this.used;
  }

  /** Whether `count` more evaluations keep the spending at or under `ceiling` (default: the total). */
  allows(count: number, ceiling = this.total): boolean {
    return this.used + count <= Math.min(ceiling, this.total);
  }

  spend(count: number): void {
    this.watch.signal?.throwIfAborted();
    if (!this.allows(count)) {
      throw new Error(`edit budget overspent: ${this.used} + ${count} > ${this.total}`);
    }
    this.used += count;
    this.watch.onSpend?.(this.used, this.total);
  }
}

/** How many evaluations each stage of the search may have spent by its end. */
export interface BudgetPlan {
  total: number;
  /** The originals' embeddings: the working copy, and the full-size one when it differs. */
  originals: number;
  coarseUpTo: number;
  refineUpTo: number;
  /** The rest is kept for the full-size checks of the edits answered. */
  composeUpTo: number;
}

/** Share of the candidates' evaluations the coarse grid may take; refinement gets the rest. */
const COARSE_SHARE = 0.55;
/** Evaluations kept for the composition of the two best operators. */
export const COMPOSE_EVALUATIONS = 2;

/**
 * Splits `total` between the stages: the originals first, a final check for each of the `finals` edits
 * wanted last, the coarse grid COARSE_SHARE of the candidates between, refinement what is left before
 * composition.
 */
export function planBudget(
  total: number,
  { downscaled, compose, finals = 1 }: { downscaled: boolean; compose: boolean; finals?: number },
): BudgetPlan {
  const originals = downscaled ? 2 : 1;
  const reserved = originals + finals;
  if (!Number.isInteger(total) || total < reserved + 1) {
    throw new GuidanceError(
      'BAD_OPTION',
      `budget must be a whole number of at least ${reserved + 1} for this image` +
        (finals > 1 ? ` and ${finals} edits` : ''),
    );
  }
  const candidates = total - reserved;
  const composeUpTo = total - finals;
  return {
    total,
    originals,
    coarseUpTo: originals + Math.max(1, Math.floor(candidates * COARSE_SHARE)),
    refineUpTo: composeUpTo - (compose ? COMPOSE_EVALUATIONS : 0),
    composeUpTo,
  };
}
