import { pino, type DestinationStream, type Logger } from 'pino';
import { requestContext } from './request-context.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/**
 * Keys whose values never reach a log line, at the top of a logged object or up to two levels down
 * (`req.headers.authorization`, `options.apiKey`, `env.HF_TOKEN`).
 */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  '["set-cookie"]',
  '["x-api-key"]',
  'token',
  'accessToken',
  'apiKey',
  'api_key',
  'key',
  'password',
  'secret',
  'HF_TOKEN',
  'OPENAI_API_KEY',
  'API_KEYS',
];
export const REDACTED_PATHS = SECRET_KEYS.flatMap((key) => {
  const nested = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${nested}`, `*.*${nested}`];
});

/**
 * The process's one logger: a JSON object per line, level names rather than numbers, secrets redacted
 * by path, and the id of the request being served (from AsyncLocalStorage) on every line.
 */
export function createLogger(level: LogLevelName = 'info', destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS },
      mixin: () => {
        const context = requestContext.get();
        return context ? { requestId: context.requestId } : {};
      },
    },
    destination,
  );
}
