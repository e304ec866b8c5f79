import type { RequestHandler } from 'express';
import { UnauthenticatedError } from './accessErrors.js';
import { setPrincipal } from './principal.js';
import type { TokenVerifier } from './tokenVerifier.js';

const bearer = /^Bearer +([^\s]+) *$/i;

/** Paths probes reach without a token; they reveal nothing but up and ready. */
const publicPaths = new Set(['/healthz', '/readyz']);

/** With tokens configured, every request but the probes must carry a valid bearer token. */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return (req, res, next) => {
    if (!verifier.enabled || publicPaths.has(req.path.replace(/(.)\/+$/, '$1'))) {
      next();
      return;
    }
    const header = req.headers.authorization;
    if (header === undefined) {
      next(new UnauthenticatedError('This API needs a token: send Authorization: Bearer <token>.'));
      return;
    }
    const token = bearer.exec(header)?.[1];
    if (token === undefined) {
      next(new UnauthenticatedError("The Authorization header must be 'Bearer <token>'."));
      return;
    }
    const principal = verifier.verify(token);
    if (principal === undefined) {
      next(new UnauthenticatedError('The bearer token is not valid.'));
      return;
    }
    setPrincipal(res, principal);
    next();
  };
}
