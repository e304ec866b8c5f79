import type { ValidSubmitJobRequest } from '@jobs/contract';
import { InvalidRequestError } from '../errors.js';

/** Sizes beyond which a submission is refused, so one job cannot bloat the store or every list. */
export interface SubmissionLimits {
  /** Largest metadata, measured as UTF-8 JSON. */
  maxMetadataBytes: number;
  /** Longest entrypoint, in characters. */
  maxEntrypointChars: number;
  /** Largest runtime_env, measured as UTF-8 JSON: it is stored, listed and sent with every job. */
  maxRuntimeEnvBytes: number;
}

export const defaultSubmissionLimits: SubmissionLimits = {
  maxMetadataBytes: 16 * 1024,
  maxEntrypointChars: 64 * 1024,
  maxRuntimeEnvBytes: 64 * 1024,
};

function checkJsonBytes(field: string, value: unknown, limit: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > limit) {
    throw new InvalidRequestError(
      `Invalid request: body.${field} is ${bytes} bytes as JSON, more than the limit of ${limit}.`,
    );
  }
}

export function checkSubmissionLimits(
  request: ValidSubmitJobRequest,
  limits: SubmissionLimits,
): void {
  if (request.entrypoint.length > limits.maxEntrypointChars) {
    throw new InvalidRequestError(
      `Invalid request: body.entrypoint is ${request.entrypoint.length} characters long, more than the limit of ${limits.maxEntrypointChars}.`,
    );
  }
  if (request.metadata !== undefined) {
    checkJsonBytes('metadata', request.metadata, limits.maxMetadataBytes);
  }
  if (request.runtime_env !== undefined) {
    checkJsonBytes('runtime_env', request.runtime_env, limits.maxRuntimeEnvBytes);
  }
}
