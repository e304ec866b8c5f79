import { z } from 'zod';

/**
 * Every error code the API answers with, and the HTTP status it always comes with.
 * This map is the single source of truth for both the server and clients.
 */
export const errorCodeStatus = {
  INVALID_REQUEST: 400,
  INVALID_JSON: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  JOB_ALREADY_EXISTS: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof errorCodeStatus;

export const ErrorCodeSchema = z.enum(Object.keys(errorCodeStatus) as [ErrorCode, ...ErrorCode[]]);

/** The body of every non-2xx response. */
export const ErrorBodySchema = z
  .object({
    code: ErrorCodeSchema,
    message: z.string().min(1),
  })
  .strict();
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
