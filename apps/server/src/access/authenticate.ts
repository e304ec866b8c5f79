import type { RequestHandler } from 'express';
import { RateLimitedError, UnauthenticatedError } from './accessErrors.js';
import type { AuthFailureLimiter } from './authFailureLimiter.js';
import { setPrincipal } from './principal.js';
import type { TokenVerifier } from './tokenVerifier.js';

const bearer = /^Bearer +([^\s]+) *$/i;

/** Paths probes reach without a token; they reveal nothing but up and ready. */
const publicPaths = new Set(['/healthz', '/readyz']);

/**
 * With tokens configured, every request but the probes must carry a valid bearer token. An
 * address that failed too often (see `failures`) is refused until its window ends, even with a
 * valid token, so guessing tokens costs a minute per few dozen guesses.
 */
export function authenticate(
  verifier: TokenVerifier,
  failures: AuthFailureLimiter | undefined,
): RequestHandler {
  return (req, res, next) => {
    if (!verifier.enabled || publicPaths.has(req.path.replace(/(.)\/+$/, '$1'))) {
      next();
      return;
    }
    const address = req.socket.remoteAddress ?? '';
    const blockedFor = failures?.blockedFor(address);
    if (blockedFor !== undefined) {
      next(
        new RateLimitedError(
          blockedFor,
          `Too many failed authentications from this address; retry after ${blockedFor} seconds.`,
        ),
      );
      return;
    }
    const fail = (message: string) => {
      failures?.recordFailure(address);
      next(new UnauthenticatedError(message));
    };
    const header = req.headers.authorization;
    if (header === undefined) {
      fail('This API needs a token: send Authorization: Bearer <token>.');
      return;
    }
    const token = bearer.exec(header)?.[1];
    if (token === undefined) {
      fail("The Authorization header must be 'Bearer <token>'.");
      return;
    }
    const principal = verifier.verify(token);
    if (principal === undefined) {
      fail('The bearer token is not valid.');
      return;
    }
    setPrincipal(res, principal);
    next();
  };
}
