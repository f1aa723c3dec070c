import type { LoggerService } from '@nestjs/common';
import type { Logger } from 'pino';

/** Nest's `Logger` (its own start-up lines and every `new Logger(context)` of ours) written through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.pino.info(fields(message, contextOf(params)));
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.pino.warn(fields(message, contextOf(params)));
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.pino.debug(fields(message, contextOf(params)));
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.pino.trace(fields(message, contextOf(params)));
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.pino.fatal(fields(message, contextOf(params)));
  }
  /** Nest calls `error(message, stack?, context?)`; with one extra argument it is a stack or a context. */
  error(message: unknown, ...params: unknown[]): void {
    const context = params.length > 1 || !isStack(params[0]) ? contextOf(params) : undefined;
    const stack = params.length > 1 ? params[0] : isStack(params[0]) ? params[0] : undefined;
    this.pino.error({ ...fields(message, context), ...(typeof stack === 'string' ? { stack } : {}) });
  }
}

/** Nest appends the logger's context name as the last argument. */
function contextOf(params: unknown[]): string | undefined {
  const last = params.at(-1);
  return typeof last === 'string' ? last : undefined;
}

function isStack(value: unknown): boolean {
  return typeof value === 'string' && /\n\s+at /.test(value);
}

/** Objects keep their fields (redaction works on them by path); anything else becomes `msg`. */
function fields(message: unknown, context: string | undefined): Record<string, unknown> {
  const base = context ? { context } : {};
  if (message instanceof Error) return { ...base, msg: message.message, err: message };
  if (typeof message === 'object' && message !== null) return { ...base, ...message };
  return { ...base, msg: String(message) };
}
