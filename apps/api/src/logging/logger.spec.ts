import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevelName } from './logger.js';
import { requestContext } from './request-context.js';

/** A logger writing into an array of parsed lines, and the raw text, to check what would reach stdout. */
function capture(level: LogLevelName = 'info') {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (chunk: string) => void raw.push(chunk) });
  const lines = (): Record<string, unknown>[] => raw.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { logger, raw, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line with a level name, an ISO time and the message', () => {
    const { logger, raw, lines } = capture();
    logger.info({ msg: 'listening', port: 3000 });
    expect(raw[0]!.endsWith('\n')).toBe(true);
    expect(lines()[0]).toMatchObject({ level: 'info', msg: 'listening', port: 3000 });
    expect(new Date(String(lines()[0]!['time'])).toISOString()).toBe(lines()[0]!['time']);
  });

  it('drops lines below its level', () => {
    const { logger, lines } = capture('warn');
    logger.info('not written');
    logger.debug('nor this');
    logger.warn('written');
    expect(lines().map((l) => l['msg'])).toEqual(['written']);
  });

  it('never writes a bearer token, an HF token or an API key, wherever the object holds them', () => {
    const { logger, raw, lines } = capture('trace');
    const bearer = 'Bearer sk-live-7f3a9c';
    const hfToken = 'hf_QpXwErTyUiOpAsDfGh';
    logger.info({ msg: 'request', req: { headers: { authorization: bearer, 'x-api-key': 'key-42' } } });
    logger.warn({ msg: 'plugin options', options: { apiKey: 'sk-openai-1', token: hfToken } });
    logger.error({ msg: 'env', env: { HF_TOKEN: hfToken, OPENAI_API_KEY: 'sk-openai-2', API_KEYS: 'a,b' } });
    logger.debug({ authorization: bearer, key: 'key-42' });
    const text = raw.join('');
    for (const secret of [bearer, 'sk-live-7f3a9c', hfToken, 'key-42', 'sk-openai-1', 'sk-openai-2', 'a,b'])
      expect(text).not.toContain(secret);
    expect(lines()[0]).toMatchObject({ req: { headers: { authorization: '[Redacted]' } } });
    expect(lines()[2]).toMatchObject({ env: { HF_TOKEN: '[Redacted]' } });
  });

  it('names the request being served on every line, and no request outside one', async () => {
    const { logger, lines } = capture();
    await requestContext.run({ requestId: 'req-1' }, async () => {
      logger.info('before an await');
      await new Promise((r) => setTimeout(r, 1));
      logger.info('after it');
      requestContext.detached(() => logger.info('shared work'));
    });
    logger.info('outside');
    expect(lines().map((l) => [l['msg'], l['requestId']])).toEqual([
      ['before an await', 'req-1'],
      ['after it', 'req-1'],
      ['shared work', undefined],
      ['outside', undefined],
    ]);
  });
});
