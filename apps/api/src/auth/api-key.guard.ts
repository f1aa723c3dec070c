import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AssetUrls } from '../assets/asset-urls.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { ApiError } from '../errors/api-error.js';

/** Paths a load balancer or orchestrator must reach without a key. */
const PUBLIC_PATHS = new Set(['/healthz', '/readyz']);
const ASSET_PATH = /^\/assets\/([^/]+)$/;

/**
 * Requires `Authorization: Bearer <key>` with one of API_KEYS on every request but health checks and
 * asset downloads through a valid signed URL (what `<img>` tags fetch). Without keys configured it lets
 * everything through: the server then listens on loopback only.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: Buffer[];

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(AssetUrls) private readonly urls: AssetUrls,
  ) {
    this.keys = config.apiKeys.map((k) => Buffer.from(k));
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.keys.length === 0) return true;
    const req =
      context.getType<string>() === 'graphql'
        ? GqlExecutionContext.create(context).getContext<{ req: IncomingMessage }>().req
        : context.switchToHttp().getRequest<IncomingMessage>();
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (PUBLIC_PATHS.has(url.pathname)) return true;
    if (this.signedAssetRequest(req.method, url)) return true;
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (match && this.knows(Buffer.from(match[1]!))) return true;
    throw new ApiError(
      'UNAUTHENTICATED',
      header ? 'the API key is not valid' : 'this server needs an API key: send Authorization: Bearer <key>',
    );
  }

  private signedAssetRequest(method: string | undefined, url: URL): boolean {
    const id = ASSET_PATH.exec(url.pathname)?.[1];
    if (!id || (method !== 'GET' && method !== 'HEAD')) return false;
    return this.urls.verify(
      decodeURIComponent(id),
      url.searchParams.get('expires'),
      url.searchParams.get('sig'),
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
