import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';

/** Paths a load balancer or orchestrator must reach without a key. */
const PUBLIC_PATHS = new Set(['/healthz', '/readyz']);

/**
 * Requires `Authorization: Bearer <key>` with one of API_KEYS on every request but health checks.
 * Without keys configured it lets everything through: the server then listens on loopback only.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.keys = config.apiKeys.map((k) => Buffer.from(k));
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.keys.length === 0) return true;
    const req =
      context.getType<string>() === 'graphql'
        ? GqlExecutionContext.create(context).getContext<{ req: IncomingMessage }>().req
        : context.switchToHttp().getRequest<IncomingMessage>();
    if (PUBLIC_PATHS.has((req.url ?? '').split('?')[0]!)) return true;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && this.knows(Buffer.from(match[1]!))) return true;
    throw new ApiError(
      'UNAUTHENTICATED',
      header ? 'the API key is not valid' : 'this server needs an API key: send Authorization: Bearer <key>',
    );
  }

  /** Compares in constant time against every key, so timing reveals nothing about them. */
  private knows(candidate: Buffer): boolean {
    let found = false;
    for (const key of this.keys) {
      if (key.length === candidate.length && timingSafeEqual(key, candidate)) found = true;
    }
    return found;
  }
}
