import { jobsContract, packagesContract } from '@jobs/contract';
import { Router } from 'express';
import type { AuditObserver } from '../audit/auditRecord.js';
import { auditAction } from '../audit/auditAction.js';
import type { ApiToken } from './apiTokens.js';
import { authenticate } from './authenticate.js';
import { AuthFailureLimiter } from './authFailureLimiter.js';
import { authorize } from './authorize.js';
import { browserGuard, rebindingGuard } from './browserGuard.js';
import { cors } from './cors.js';
import { rateLimitPerToken } from './rateLimiter.js';
import { metricsRole, packageRouteRoles, routeRoles } from './roles.js';
import { TokenVerifier } from './tokenVerifier.js';

export interface AccessOptions {
  /** No tokens: no authentication, which the configuration allows on loopback only. */
  apiTokens: readonly ApiToken[];
  /** Browser origins that may call the API (CORS) and make state-changing requests. */
  allowedOrigins: readonly string[];
  /** Requests per minute per token; 0 for no limit. */
  rateLimitPerMinute: number;
  /** Failed authentications per minute per remote address before it is refused; 0 for no limit. */
  authFailuresPerMinute: number;
  /** The operator let an unauthenticated server listen beyond loopback. */
  allowUnauthenticatedRemote: boolean;
}

type Method = 'get' | 'post' | 'put' | 'delete';

function methodOf(route: { method: string }): Method {
  return route.method.toLowerCase() as Method;
}

/**
 * Everything that decides whether a request may reach a handler, in order: CORS, the audit
 * trail (so refusals are recorded too), the browser guards, authentication, the rate limit,
 * and the role each route needs. A step that can change nothing under the options is left out
 * (CORS without allowed origins; authentication, rate limit and roles without tokens): each
 * would cost every request a turn through the router, a route match or two for nothing.
 */
export function accessControl(
  options: AccessOptions,
  auditObservers: readonly AuditObserver[],
): Router {
  const verifier = new TokenVerifier(options.apiTokens);
  const router = Router();
  if (options.allowedOrigins.length > 0) router.use(cors(options.allowedOrigins));

  const audited = [
    ['submit', jobsContract.submitJob],
    ['stop', jobsContract.stopJob],
    ['delete', jobsContract.deleteJob],
  ] as const;
  for (const [action, route] of audited) {
    router[methodOf(route)](route.path, auditAction(action, auditObservers, verifier.enabled));
  }

  router.use(browserGuard(options.allowedOrigins));
  if (!verifier.enabled) {
    if (!options.allowUnauthenticatedRemote) router.use(rebindingGuard());
    return router;
  }
  const failures =
    options.authFailuresPerMinute === 0
      ? undefined
      : new AuthFailureLimiter(options.authFailuresPerMinute);
  router.use(authenticate(verifier, failures));
  if (options.rateLimitPerMinute > 0) router.use(rateLimitPerToken(options.rateLimitPerMinute));
  for (const [name, role] of Object.entries(routeRoles)) {
    const route = jobsContract[name as keyof typeof routeRoles];
    router[methodOf(route)](route.path, authorize(role));
  }
  for (const [name, role] of Object.entries(packageRouteRoles)) {
    const route = packagesContract[name as keyof typeof packageRouteRoles];
    router[methodOf(route)](route.path, authorize(role));
  }
  router.get('/metrics', authorize(metricsRole));
  return router;
}
