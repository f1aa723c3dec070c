import { describe, expect, it } from 'vitest';
import { ClipError, CodedError, ImageInputError, ModelLoadError } from './errors.js';

describe('CodedError', () => {
  it('names each error after its class and keeps its code and cause', () => {
    const cause = new Error('truncated');
    const error = new ImageInputError('BAD_IMAGE', 'not a whole image', { cause, index: 2 });
    expect(error).toBeInstanceOf(ClipError);
    expect(error).toBeInstanceOf(CodedError);
    expect(error).toMatchObject({ name: 'ImageInputError', code: 'BAD_IMAGE', index: 2, cause });
    expect(String(new ModelLoadError('MODEL_INVALID', 'no logit_scale'))).toBe(
      'ModelLoadError: no logit_scale',
    );
    expect(new ClipError('BAD_INPUT', 'no labels').name).toBe('ClipError');
  });
});
