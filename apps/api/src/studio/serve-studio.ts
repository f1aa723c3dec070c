import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoggerService } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** Where `npm run build` puts the page (apps/web → dist/web), seen from dist/apps/api/src/studio. */
export const STUDIO_DIR = fileURLToPath(new URL('../../../../web/', import.meta.url));

/** The page's own paths (apps/web/src/routing.ts); each is answered with the page, which picks the view. */
const PAGE_PATHS = /^\/(?:|edit|captions|moderate|graphiql|gallery(?:\/[^/]+)?)\/?$/;

/**
 * Serves the Studio page beside the API: its hashed bundles under /static (cached for good), index.html
 * for the page's paths (revalidated, so a new build shows at once). A browser opening /graphql is sent to
 * the bundled GraphiQL. Every other path is the API's, as before.
 */
export function serveStudio(app: NestExpressApplication, logger: LoggerService, dir = STUDIO_DIR): void {
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    logger.warn({ msg: `the Studio page is not built (${index} is missing): run npm run build` }, 'Studio');
    return;
  }
  app.useStaticAssets(join(dir, 'static'), {
    prefix: '/static/',
    immutable: true,
    maxAge: '1y',
    index: false,
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (PAGE_PATHS.test(req.path)) {
      res.setHeader('Cache-Control', 'no-cache');
      return res.sendFile(index);
    }
    if (
      req.path === '/graphql' &&
      Object.keys(req.query).length === 0 &&
      req.accepts(['json', 'html']) === 'html'
    ) {
      return res.redirect(302, '/graphiql');
    }
    next();
  });
}
