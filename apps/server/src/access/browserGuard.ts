import { isIP } from 'node:net';
import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from './accessErrors.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Same host and port as the request was addressed to. The scheme is not compared: behind a
 * TLS-terminating proxy the page is https while this server sees http.
 */
function isSameOrigin(origin: string, req: Request): boolean {
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * A web page the user happens to visit must not be able to submit, stop or delete jobs:
 * state-changing requests from another origin (by `Origin`, or `Sec-Fetch-Site: cross-site`
 * when a browser sends no Origin) are refused unless that origin is explicitly allowed.
 */
export function browserGuard(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  return (req, _res, next) => {
    if (safeMethods.has(req.method)) {
      next();
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (allowed.has(origin) || isSameOrigin(origin, req)) {
        next();
        return;
      }
      next(
        new ForbiddenError(
          `Refused a cross-site ${req.method} from origin '${origin}'; the server allows browser origins listed in --allowed-origins only.`,
        ),
      );
      return;
    }
    if (req.headers['sec-fetch-site'] === 'cross-site') {
      next(new ForbiddenError(`Refused a cross-site ${req.method} from a browser.`));
      return;
    }
    next();
  };
}

/** Headers a reverse proxy adds to the requests it relays. */
const proxyHeaders = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'] as const;

/**
 * Without tokens, a page on a name that resolves to 127.0.0.1 (DNS rebinding) counts as same
 * origin. So an unauthenticated server answers only requests addressed to an IP literal or
 * `localhost`. And a request a reverse proxy relays comes from loopback too, but from anyone who
 * reaches the proxy: it is refused, as a proxy needs the server to have tokens.
 */
export function rebindingGuard(): RequestHandler {
  return (req, _res, next) => {
    if (proxyHeaders.some((name) => req.headers[name] !== undefined)) {
      next(
        new ForbiddenError(
          'Without API tokens the server serves its own machine only; a request relayed by a proxy needs a token.',
        ),
      );
      return;
    }
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
    if (hostname === 'localhost' || isIP(hostname) !== 0) {
      next();
      return;
    }
    next(
      new ForbiddenError(
        'Without API tokens the server answers requests addressed to an IP address or localhost only.',
      ),
    );
  };
}
