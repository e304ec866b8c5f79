import type { RequestHandler } from 'express';

/** Response headers a page of another origin may read: what @jobs/client's helpers use. */
const exposedHeaders = [
  'x-request-id',
  'retry-after',
  'etag',
  'link',
  'x-log-start',
  'x-log-end',
  'x-log-size',
  'x-jobs-store',
];

/** Request headers it may send: a token, JSON, and the resume and revalidation headers. */
const allowedHeaders = [
  'authorization',
  'content-type',
  'if-none-match',
  'last-event-id',
  'x-jobs-store',
];

/**
 * CORS for the configured origins only (none by default): they may read answers, with the
 * headers the client's paging, log ranges and streams need, and send the Authorization header.
 * Other origins get no CORS headers, so browsers keep answers from them.
 */
export function cors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) {
      next();
      return;
    }
    res.setHeader('access-control-allow-origin', origin);
    res.append('vary', 'Origin');
    res.setHeader('access-control-expose-headers', exposedHeaders.join(', '));
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.setHeader('access-control-allow-methods', 'GET, POST, PUT, DELETE');
      res.setHeader('access-control-allow-headers', allowedHeaders.join(', '));
      res.setHeader('access-control-max-age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
