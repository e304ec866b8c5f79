import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { Router } from 'express';
import type { Logger } from 'pino';

/** Where the built dashboard is, or undefined when @jobs/web is missing or not built. */
export function findWebAppDir(): string | undefined {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('@jobs/web/package.json');
  } catch {
    return undefined;
  }
  const dist = join(dirname(packageJson), 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}

/**
 * The dashboard's built files at `/`. They hold no data (everything comes from the API, behind
 * its own access control), so they are served without a token: the page must load to ask for one.
 */
export function createWebAppRouter(logger: Logger, dir: string | undefined): Router {
  const router = Router();
  if (dir === undefined) {
    logger.info('dashboard not built (pnpm --filter @jobs/web build); serving the API only');
    return router;
  }
  router.use(
    express.static(dir, {
      index: 'index.html',
      redirect: false,
      setHeaders(res, path) {
        // Vite puts a content hash in every asset name; index.html must be re-read to find them.
        res.setHeader(
          'cache-control',
          path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    }),
  );
  return router;
}
