import type { Request } from 'express';

/**
 * Where an OpenAI `url` answer points: the asset's URL as AssetUrls builds it for every API (signed when
 * the server has keys), made absolute against the origin clients reach this server at.
 */
export function absoluteAssetUrl(assetUrl: string, origin: string): string {
  return new URL(assetUrl, origin).href;
}

/** PUBLIC_URL when set (a server behind a proxy), else the scheme and Host the request came with. */
export function requestOrigin(req: Request, publicUrl: string | null): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
