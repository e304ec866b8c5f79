import { ErrorBodySchema } from './errors.js';

/**
 * Answers any API route can give before its handler runs: no valid token (401), a token whose
 * role is too weak or a cross-site browser request (403), too many requests for one token (429).
 */
export const accessResponses = {
  401: ErrorBodySchema,
  403: ErrorBodySchema,
  429: ErrorBodySchema,
} as const;
