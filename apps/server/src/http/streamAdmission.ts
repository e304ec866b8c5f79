import { jobsContract } from '@jobs/contract';
import type { RequestHandler } from 'express';
import type { ConcurrencyLimit } from './concurrencyLimit.js';

/** A contract path such as /api/jobs/:submission_id/logs/stream as an exact-match pattern. */
function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

const streamRoutes = [jobsContract.streamJobLogs, jobsContract.streamJobEvents].map((route) => ({
  method: route.method,
  pattern: pathPattern(route.path),
}));

/**
 * Takes a stream slot (log and event streams) before the request log, metrics, access control
 * and routing, so that a burst of thousands of stream requests beyond the limit is refused for
 * the cost of one comparison each instead of the whole middleware stack: health probes and
 * other requests arriving in the same burst then wait for far less. The slot is held until the
 * response closes, whatever answers it (the stream, or a refusal further on).
 */
export function streamAdmission(streams: ConcurrencyLimit): RequestHandler {
  return (req, res, next) => {
    if (streamRoutes.some((route) => route.method === req.method && route.pattern.test(req.path))) {
      try {
        streams.hold(res);
      } catch (error) {
        next(error);
        return;
      }
    }
    next();
  };
}
