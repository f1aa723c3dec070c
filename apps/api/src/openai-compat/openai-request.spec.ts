import { describe, expect, it } from 'vitest';
import { parseEditRequest, parseGenerationRequest, parseSize } from './openai-request.js';

describe('parseGenerationRequest', () => {
  it("fills OpenAI's defaults and ignores fields it does not know", () => {
    expect(parseGenerationRequest({ prompt: 'a red square', quality: 'hd', style: 'vivid' })).toEqual({
      prompt: 'a red square',
      n: 1,
      size: null,
      responseFormat: 'url',
      model: null,
      bestOf: null,
      negativePrompt: null,
      seed: null,
    });
  });

  it('reads every field it knows; clipsmith and null mean the defaults', () => {
    expect(
      parseGenerationRequest({
        prompt: 'p',
        n: 3,
        size: '640x480',
        response_format: 'b64_json',
        model: 'sd',
        best_of: 2,
        negative_prompt: 'blur',
        seed: 7,
        user: 'u1',
      }),
    ).toMatchObject({ n: 3, size: { width: 640, height: 480 }, responseFormat: 'b64_json', model: 'sd' });
    expect(parseGenerationRequest({ prompt: 'p', model: 'clipsmith', n: null }).model).toBeNull();
  });

  it.each([
    [{}, 'prompt'],
    [{ prompt: 'p', n: 0 }, 'n'],
    [{ prompt: 'p', n: 11 }, 'n'],
    [{ prompt: 'p', n: 1.5 }, 'n'],
    [{ prompt: 'p', size: '512' }, 'size'],
    [{ prompt: 'p', response_format: 'png' }, 'response_format'],
    [{ prompt: 'p', best_of: 0 }, 'best_of'],
    [{ prompt: 'p', seed: -1 }, 'seed'],
    [{ prompt: 3 }, 'prompt'],
    [{ prompt: 'p', stream: true }, 'stream'],
  ])('refuses %j, naming %s', (body, param) => {
    expect(() => parseGenerationRequest(body)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', param }),
    );
  });

  it('refuses a body that is not an object', () => {
    expect(() => parseGenerationRequest(undefined)).toThrow(/JSON object/);
  });
});

describe('parseEditRequest', () => {
  it('reads multipart text fields, numbers included', () => {
    expect(parseEditRequest({ prompt: 'make it blue', n: '2', size: 'auto' })).toMatchObject({
      n: 2,
      size: null,
    });
    expect(() => parseEditRequest({ prompt: 'p', n: 'two' })).toThrow(
      expect.objectContaining({ param: 'n' }),
    );
  });
});

describe('parseSize', () => {
  it('reads WxH and auto, and nothing else', () => {
    expect(parseSize('1024x768')).toEqual({ width: 1024, height: 768 });
    expect(parseSize('auto')).toBeNull();
    for (const bad of ['0x10', '10x', 'x10', '10 x 10', '10X10', '-1x5'])
      expect(() => parseSize(bad)).toThrow(/WIDTHxHEIGHT/);
  });
});
