import type { RequestHandler } from 'express';
import { ForbiddenError } from './accessErrors.js';
import { principalOf } from './principal.js';
import { type Role, roleAllows } from './roles.js';

/** Lets a request through when its token's role includes `needed` (or no tokens are configured). */
export function authorize(needed: Role): RequestHandler {
  return (_req, res, next) => {
    const principal = principalOf(res);
    if (principal === undefined || roleAllows(principal.role, needed)) {
      next();
      return;
    }
    next(
      new ForbiddenError(
        `The token '${principal.name}' has the role '${principal.role}'; this request needs '${needed}'.`,
      ),
    );
  };
}
