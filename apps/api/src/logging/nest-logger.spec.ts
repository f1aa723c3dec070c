import { Logger } from '@nestjs/common';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { PinoNestLogger } from './nest-logger.js';

function nestThroughPino() {
  const lines: Record<string, unknown>[] = [];
  const pino = createLogger('trace', { write: (l: string) => void lines.push(JSON.parse(l)) });
  Logger.overrideLogger(new PinoNestLogger(pino));
  return lines;
}

afterEach(() => Logger.overrideLogger(true));

describe('PinoNestLogger', () => {
  it("writes Nest's Logger calls through pino with their context and level", () => {
    const lines = nestThroughPino();
    const logger = new Logger('Engine');
    logger.log({ msg: 'model loaded', dim: 256 });
    logger.warn('slow batch');
    logger.debug({ msg: 'batch' });
    logger.verbose('detail');
    logger.fatal('gone');
    expect(lines.map((l) => [l['level'], l['context'], l['msg']])).toEqual([
      ['info', 'Engine', 'model loaded'],
      ['warn', 'Engine', 'slow batch'],
      ['debug', 'Engine', 'batch'],
      ['trace', 'Engine', 'detail'],
      ['fatal', 'Engine', 'gone'],
    ]);
    expect(lines[0]).toMatchObject({ dim: 256 });
  });

  it('keeps the stack of an error apart from its context, and serializes Error messages', () => {
    const lines = nestThroughPino();
    const error = new Error('boom');
    new Logger('Http').error({ msg: 'request failed' }, error.stack);
    new Logger('Http').error('no stack');
    Logger.error(error);
    expect(lines[0]).toMatchObject({ level: 'error', context: 'Http', msg: 'request failed' });
    expect(String(lines[0]!['stack'])).toContain('Error: boom');
    expect(lines[1]).toMatchObject({ context: 'Http', msg: 'no stack' });
    expect(lines[1]!['stack']).toBeUndefined();
    expect(lines[2]).toMatchObject({ msg: 'boom', err: { type: 'Error', message: 'boom' } });
  });

  it('redacts what Nest callers log, too', () => {
    const lines = nestThroughPino();
    new Logger('Auth').warn({ msg: 'refused', headers: { authorization: 'Bearer abc123' } });
    expect(JSON.stringify(lines)).not.toContain('abc123');
  });
});
