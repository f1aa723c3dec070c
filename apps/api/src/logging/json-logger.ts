import type { LoggerService, LogLevel } from '@nestjs/common';

/** One JSON object per line on stdout (errors on stderr), for log collectors. */
export class JsonLogger implements LoggerService {
  constructor(private readonly levels: ReadonlySet<LogLevel> = new Set(['log', 'error', 'warn', 'fatal'])) {}

  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('verbose', message, context);
  }
  fatal(message: unknown, context?: string): void {
    this.write('fatal', message, context);
  }

  private write(level: string, message: unknown, context?: string, trace?: string): void {
    const nestLevel = (level === 'info' ? 'log' : level) as LogLevel;
    if (!this.levels.has(nestLevel)) return;
    const fields = typeof message === 'object' && message !== null ? message : { msg: String(message) };
    const line = JSON.stringify({
      time: new Date().toISOString(),
      level,
      context,
      ...fields,
      ...(trace ? { trace } : {}),
    });
    (level === 'error' || level === 'fatal' ? process.stderr : process.stdout).write(line + '\n');
  }
}
