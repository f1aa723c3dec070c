import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { requestContext } from '../logging/request-context.js';
import type { JobSubmitter } from './job-record.js';

/**
 * Who is asking, for a job: a fingerprint of the bearer key (never the key) and the id the request
 * context gave the request (the caller's sane `X-Request-Id`, else a generated one).
 */
export function submitterOf(req: IncomingMessage | undefined): JobSubmitter {
  const match = /^Bearer\s+(\S+)$/i.exec(req?.headers.authorization ?? '');
  const owner = match ? createHash('sha256').update(match[1]!).digest('hex').slice(0, 16) : 'anonymous';
  return { owner, requestId: requestContext.get()?.requestId ?? null };
}
