import type { ImageLimits } from '#clip';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, imageLimitsOf } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';

/** The request-size limits every resolver applies, with messages that name the setting to change. */
@Injectable()
export class InputLimits {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get imageLimits(): ImageLimits {
    return imageLimitsOf(this.config.limits);
  }

  /** A trimmed, non-empty prompt within MAX_PROMPT_LENGTH. */
  prompt(value: string, field: string): string {
    const text = value.trim();
    if (text === '') throw new ApiError('BAD_REQUEST', `${field} must not be empty`);
    const max = this.config.limits.maxPromptLength;
    if (text.length > max) {
      throw new ApiError(
        'PROMPT_TOO_LONG',
        `${field} has ${text.length} characters; the limit is ${max} (MAX_PROMPT_LENGTH)`,
      );
    }
    return text;
  }

  /** count per generator × generators within MAX_CANDIDATES. */
  candidates(count: number, generators: number): void {
    const max = this.config.limits.maxCandidates;
    if (!Number.isInteger(count) || count < 1)
      throw new ApiError('BAD_REQUEST', 'count must be a positive integer');
    if (count * generators > max) {
      throw new ApiError(
        'TOO_MANY_ITEMS',
        `${count} candidates from ${generators} generator(s) is ${count * generators}; the limit is ${max} (MAX_CANDIDATES)`,
      );
    }
  }

  /** A list of at most MAX_ITEMS entries, at least `min`. */
  items<T>(list: readonly T[], field: string, min = 1): readonly T[] {
    const max = this.config.limits.maxItems;
    if (list.length < min)
      throw new ApiError('BAD_REQUEST', `${field} needs at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
    if (list.length > max)
      throw new ApiError(
        'TOO_MANY_ITEMS',
        `${field} has ${list.length} entries; the limit is ${max} (MAX_ITEMS)`,
      );
    return list;
  }
}
