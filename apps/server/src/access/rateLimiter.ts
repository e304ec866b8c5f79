import type { RequestHandler } from 'express';
import { RateLimitedError } from './accessErrors.js';
import { principalOf } from './principal.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per API token: `perMinute` requests a minute on average, bursts up to
 * `perMinute`. Keyed by token name, so memory is bounded by the number of configured tokens.
 */
export function rateLimitPerToken(perMinute: number, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, Bucket>();
  const refillPerMs = perMinute / 60_000;
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (perMinute === 0 || principal === undefined) {
      next();
      return;
    }
    const time = now();
    const bucket = buckets.get(principal.name) ?? { tokens: perMinute, updatedAt: time };
    bucket.tokens = Math.min(perMinute, bucket.tokens + (time - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = time;
    buckets.set(principal.name, bucket);
    if (bucket.tokens < 1) {
      next(new RateLimitedError(Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000))));
      return;
    }
    bucket.tokens -= 1;
    next();
  };
}
