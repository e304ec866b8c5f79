import type { Response } from 'express';
import type { Principal } from './tokenVerifier.js';

/** The caller a request was authenticated as; undefined when no tokens are configured. */
export function principalOf(res: Response): Principal | undefined {
  return (res.locals as { principal?: Principal }).principal;
}

export function setPrincipal(res: Response, principal: Principal): void {
  (res.locals as { principal?: Principal }).principal = principal;
}
