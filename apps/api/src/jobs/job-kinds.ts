import { Inject, Injectable } from '@nestjs/common';
import { EditService } from '../edits/edit.service.js';
import type { EditImageInput } from '../edits/edit.types.js';
import { GenerationService } from '../generation/generation.service.js';
import type { GenerateInput, GenerationResult } from '../generation/generation.types.js';
import type { JobKind, OnProgress } from './job-record.js';

/** What each kind of job does: one service call, the same one the synchronous mutation makes. */
@Injectable()
export class JobKinds {
  constructor(
    @Inject(GenerationService) private readonly generation: GenerationService,
    @Inject(EditService) private readonly edits: EditService,
  ) {}

  /** Checks a request and turns it into the input a job stores; a bad request fails here. */
  prepare(kind: JobKind, input: unknown, signal: AbortSignal): Promise<unknown> {
    return kind === 'generate'
      ? Promise.resolve(this.generation.check(input as GenerateInput))
      : this.edits.prepare(input as EditImageInput, signal);
  }

  run(kind: JobKind, input: unknown, signal: AbortSignal, onProgress: OnProgress): Promise<unknown> {
    return kind === 'generate'
      ? this.generation.generate(input as GenerateInput, signal, onProgress)
      : this.edits.edit(input as EditImageInput, signal, onProgress);
  }

  /** What a job that stopped early kept, in words, for its error message. */
  kept(kind: JobKind, result: unknown): string {
    const stored = kind === 'generate' && result ? (result as GenerationResult).candidates.length : 0;
    return stored > 0 ? `it kept the ${stored} candidates stored by then` : 'it had stored nothing';
  }
}
