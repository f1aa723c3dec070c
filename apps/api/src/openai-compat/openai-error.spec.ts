import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ApiError, HTTP_STATUS } from '../errors/api-error.js';
import { openAiErrorAnswer } from './openai-error.js';
import { InvalidParamError } from './openai-request.js';

const LIMITS = { maxUploadBytes: 1000, maxUploadFiles: 3, retryAfterSeconds: 5 };

describe('openAiErrorAnswer', () => {
  it("puts our code in OpenAI's shape, with the status of the API's own table", () => {
    for (const code of [
      'BAD_REQUEST',
      'NOT_FOUND',
      'UNAUTHENTICATED',
      'IMAGE_TOO_LARGE',
      'GENERATOR_FAILED',
    ] as const) {
      const answer = openAiErrorAnswer(new ApiError(code, `it was ${code}`), LIMITS);
      expect(answer.status).toBe(HTTP_STATUS[code]);
      expect(answer.body.error).toMatchObject({ code, message: `it was ${code}`, param: null });
      expect(answer.retryAfterSeconds).toBeNull();
    }
  });

  it('names the parameter and picks the type OpenAI clients expect', () => {
    expect(openAiErrorAnswer(new InvalidParamError('size', 'bad size'), LIMITS).body.error).toEqual({
      message: 'bad size',
      type: 'invalid_request_error',
      param: 'size',
      code: 'BAD_REQUEST',
    });
    expect(openAiErrorAnswer(new ApiError('UNAUTHENTICATED', 'no'), LIMITS).body.error.type).toBe(
      'authentication_error',
    );
  });

  it('answers a full queue with 429 and Retry-After', () => {
    const answer = openAiErrorAnswer(new ApiError('QUEUE_FULL', 'full'), LIMITS);
    expect(answer).toMatchObject({ status: 429, retryAfterSeconds: 5 });
    expect(answer.body.error).toMatchObject({ type: 'rate_limit_error', code: 'QUEUE_FULL' });
  });

  it('keeps bugs vague: 500, no detail', () => {
    const answer = openAiErrorAnswer(new TypeError('x is undefined at secret.ts:12'), LIMITS);
    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatchObject({ type: 'server_error', code: 'INTERNAL' });
    expect(answer.body.error.message).not.toMatch(/secret/);
  });

  it("maps multer's limits: an over-size file is 413, too many files TOO_MANY_ITEMS", () => {
    expect(openAiErrorAnswer(new PayloadTooLargeException('File too large'), LIMITS)).toMatchObject({
      status: 413,
      body: { error: { code: 'IMAGE_TOO_LARGE' } },
    });
    const tooMany = new BadRequestException('Too many files', { cause: { code: 'LIMIT_FILE_COUNT' } });
    expect(openAiErrorAnswer(tooMany, LIMITS)).toMatchObject({
      status: 400,
      body: { error: { code: 'TOO_MANY_ITEMS', message: expect.stringMatching(/at most 3 images/) } },
    });
  });
});
