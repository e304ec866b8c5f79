import type { RequestHandler } from 'express';
import type { JobsMetrics } from './jobsMetrics.js';

/**
 * Times every request. The route label is Express's route pattern (e.g.
 * /api/jobs/:submission_id), never the raw path, so hostile paths cannot grow the label set.
 */
export function httpMetrics(metrics: JobsMetrics): RequestHandler {
  return (req, res, next) => {
    // A monotonic clock in milliseconds, without the two bigints of hrtime.bigint().
    const started = performance.now();
    res.once('close', () => {
      const route = (req.route as { path?: unknown } | undefined)?.path;
      metrics.httpRequestAnswered(
        req.method,
        typeof route === 'string' ? route : 'unmatched',
        res.statusCode,
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}
