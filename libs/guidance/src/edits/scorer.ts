import { createHash } from 'node:crypto';
import type { VerifiedImage } from '#clip';
import type { ClipPort } from '../clip-port.js';
import type { Budget } from './budget.js';
import {
  type EditCriteria,
  type EditScores,
  keepsImage,
  scoreEdit,
  type TextDirection,
} from './edit-scores.js';
import type { RgbImage } from './image-io.js';
import type { Operation } from './operator.js';
import type { Scored } from './ranking.js';
import { operationOf, type Setting } from './search-space.js';

export type EditStage = 'coarse' | 'refine' | 'compose' | 'final';

export interface EditStep extends EditScores {
  stage: EditStage;
  operations: Operation[];
  /** Preservation at or above the floor: eligible to be chosen. */
  keepsImage: boolean;
  /** False when the same pixels had been scored before, so no evaluation was spent on it. */
  evaluated: boolean;
}

/** Makes a chain's pixels on the working copy. */
export type Render = (operations: readonly Operation[]) => Promise<RgbImage>;

/**
 * Scores candidate chains on the working copy, spending one evaluation of the budget per new picture,
 * and keeps every step for the result.
 */
export class Scorer {
  readonly steps: EditStep[] = [];
  private readonly seen = new Map<string, Float32Array>();
  private readonly originalKey: string;

  constructor(
    private readonly clip: ClipPort,
    private readonly budget: Budget,
    private readonly render: Render,
    working: RgbImage,
    private readonly original: Float32Array,
    private readonly texts: TextDirection,
    private readonly criteria: EditCriteria,
  ) {
    this.originalKey = pixelKey(working);
  }

  /**
   * Scores chains in order while the budget's spending stays within `ceiling`; the rest are dropped.
   * Pictures already seen (a hue of +180° and of −180°) reuse their score and cost nothing; chains that
   * leave the working copy as it was are no edit and are skipped.
   */
  async run(chains: readonly Setting[][], stage: EditStage, ceiling: number): Promise<Scored[]> {
    const made: { settings: Setting[]; operations: Operation[]; key: string }[] = [];
    const fresh = new Map<string, RgbImage>();
    for (const settings of chains) {
      const operations = settings.map(operationOf);
      const pixels = await this.render(operations);
      const key = pixelKey(pixels);
      if (key === this.originalKey) continue; // changes nothing here: not an edit
      if (!this.seen.has(key) && !fresh.has(key)) {
        if (!this.budget.allows(fresh.size + 1, ceiling)) break;
        fresh.set(key, pixels);
      }
      made.push({ settings, operations, key });
    }
    if (fresh.size > 0) {
      this.budget.spend(fresh.size);
      const embeddings = await this.clip.embedImages([...fresh.values()].map((rgb) => ({ rgb })));
      [...fresh.keys()].forEach((key, i) => this.seen.set(key, embeddings[i]!));
    }
    return made.map(({ settings, operations, key }) => {
      const scores = scoreEdit(this.original, this.seen.get(key)!, this.texts);
      this.record(stage, operations, scores, fresh.delete(key));
      return { settings, operations, scores };
    });
  }

  /** Scores the encoded full-size result against the full-size original: what the caller gets. */
  async check(image: VerifiedImage, original: Float32Array, operations: Operation[]): Promise<EditScores> {
    this.budget.spend(1);
    const [embedding] = await this.clip.embedImages([image]);
    const scores = scoreEdit(original, embedding!, this.texts);
    this.record('final', operations, scores, true);
    return scores;
  }

  private record(stage: EditStage, operations: Operation[], scores: EditScores, evaluated: boolean): void {
    this.steps.push({
      stage,
      operations,
      ...scores,
      keepsImage: keepsImage(scores, this.criteria),
      evaluated,
    });
  }
}

function pixelKey(image: RgbImage): string {
  return createHash('sha1').update(image.data).digest('hex');
}
