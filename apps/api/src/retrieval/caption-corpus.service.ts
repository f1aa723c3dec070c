import { readFile } from 'node:fs/promises';
import { procedural } from '#generators';
import { CaptionCorpus } from '#guidance';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ClipWorkService } from '../work-queue/clip-work.service.js';

/**
 * The captions captionByRetrieval chooses from: CAPTION_CORPUS (one caption per line) when set, else the
 * canonical captions of every single-object scene of the procedural world the bundled model knows.
 */
@Injectable()
export class CaptionCorpusService {
  private corpus: Promise<CaptionCorpus> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ClipWorkService) private readonly work: ClipWorkService,
  ) {}

  get(): Promise<CaptionCorpus> {
    this.corpus ??= this.captions().then((captions) => CaptionCorpus.build(this.work.clip, captions));
    // A failed build (model not ready, unreadable file) is retried on the next request.
    this.corpus.catch(() => (this.corpus = null));
    return this.corpus;
  }

  private async captions(): Promise<string[]> {
    if (this.config.captionCorpus) {
      const text = await readFile(this.config.captionCorpus, 'utf8');
      return text
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean);
    }
    return procedural.singleObjectCaptions();
  }
}
