import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Router } from 'express';

const require = createRequire(import.meta.url);
const swaggerUiDir = dirname(require.resolve('swagger-ui-dist/package.json'));
// The committed document (a test of the contract keeps it generated from the contract): the
// generator is a development tool, not something the server or clients install.
const openApiFile = require.resolve('@jobs/contract/openapi.json');

/** The files of swagger-ui-dist the reference page loads; nothing else of the package is served. */
const assets: Record<string, { file: string; type: string }> = {
  'swagger-ui.css': { file: 'swagger-ui.css', type: 'text/css' },
  'swagger-ui-bundle.js': { file: 'swagger-ui-bundle.js', type: 'text/javascript' },
  'favicon-32x32.png': { file: 'favicon-32x32.png', type: 'image/png' },
};

// Absolute URLs, so the page works at /api/docs and at /api/docs/ alike.
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Jobs API reference</title>
    <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css" />
    <link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png" />
  </head>
  <body>
    <div id="reference"></div>
    <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/api/docs/start.js"></script>
  </body>
</html>
`;

const startScript = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#reference',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * `GET /api/openapi.json`: the OpenAPI 3 document of the contract. `GET /api/docs`: a reference
 * page rendering it with Swagger UI, whose assets come from the swagger-ui-dist package (no CDN).
 */
export function createApiDocsRouter(): Router {
  const document: unknown = JSON.parse(readFileSync(openApiFile, 'utf8'));
  const router = Router();
  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/api/docs/start.js', (_req, res) => {
    res.type('text/javascript').send(startScript);
  });
  router.get('/api/docs/assets/:name', (req, res, next) => {
    const asset = assets[req.params.name];
    if (!asset) {
      next();
      return;
    }
    res.type(asset.type).sendFile(join(swaggerUiDir, asset.file), { maxAge: '1h' });
  });
  return router;
}
