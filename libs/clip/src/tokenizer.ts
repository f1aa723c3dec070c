import { Tokenizer } from '@huggingface/tokenizers';
import { ModelLoadError } from './errors.js';

/** Token ids of a batch, padded to its longest text, as the text tower takes them. */
export interface TokenBatch {
  ids: BigInt64Array;
  attentionMask: BigInt64Array;
  batchSize: number;
  sequenceLength: number;
}

/**
 * CLIP's BPE tokenizer from tokenizer.json. @huggingface/tokenizers neither truncates nor pads,
 * so this class does both the way CLIPTokenizer does: truncate keeping the end token last,
 * pad with the pad token to the longest text of the batch.
 */
export class ClipTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    readonly startId: number,
    readonly endId: number,
    readonly padId: number,
    readonly maxLength: number,
  ) {}

  static fromJson(
    tokenizerJson: Record<string, unknown>,
    tokenizerConfig: Record<string, unknown>,
  ): ClipTokenizer {
    const tokenizer = new Tokenizer(tokenizerJson, tokenizerConfig);
    const idOf = (key: string, fallback: string): number => {
      const token = tokenizerConfig[key];
      const name = typeof token === 'string' ? token : fallback;
      const id = tokenizer.token_to_id(name);
      if (id === undefined)
        throw new ModelLoadError('MODEL_INVALID', `tokenizer.json has no token ${name} (${key})`);
      return id;
    };
    const startId = idOf('bos_token', '<|startoftext|>');
    const endId = idOf('eos_token', '<|endoftext|>');
    const padId = tokenizerConfig['pad_token'] === undefined ? endId : idOf('pad_token', '<|endoftext|>');
    const declared = tokenizerConfig['model_max_length'];
    // Some configs carry a huge sentinel (1e30) instead of the context length; CLIP's is 77.
    const maxLength = typeof declared === 'number' && declared >= 2 && declared <= 4096 ? declared : 77;
    return new ClipTokenizer(tokenizer, startId, endId, padId, maxLength);
  }

  /** Ids with start and end tokens, truncated to the context length with the end token kept last. */
  encode(text: string): number[] {
    const body = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    return [this.startId, ...body.slice(0, this.maxLength - 2), this.endId];
  }

  encodeBatch(texts: readonly string[]): TokenBatch {
    return this.padBatch(texts.map((t) => this.encode(t)));
  }

  /** Token ids (from `encode`) padded to the longest of the batch. */
  padBatch(encoded: readonly (readonly number[])[]): TokenBatch {
    const sequenceLength = Math.max(...encoded.map((ids) => ids.length));
    const ids = new BigInt64Array(encoded.length * sequenceLength).fill(BigInt(this.padId));
    const attentionMask = new BigInt64Array(encoded.length * sequenceLength);
    encoded.forEach((row, r) => {
      row.forEach((id, c) => {
        ids[r * sequenceLength + c] = BigInt(id);
        attentionMask[r * sequenceLength + c] = 1n;
      });
    });
    return { ids, attentionMask, batchSize: encoded.length, sequenceLength };
  }
}
