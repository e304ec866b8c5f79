import type { ValidSubmitJobRequest } from '@jobs/contract';
import { InvalidRequestError } from '../errors.js';

/** Sizes beyond which a submission is refused, so one job cannot bloat the store or every list. */
export interface SubmissionLimits {
  /** Largest metadata, measured as UTF-8 JSON. */
  maxMetadataBytes: number;
  /** Longest entrypoint, in characters. */
  maxEntrypointChars: number;
}

export const defaultSubmissionLimits: SubmissionLimits = {
  maxMetadataBytes: 16 * 1024,
  maxEntrypointChars: 64 * 1024,
};

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
    const bytes = Buffer.byteLength(JSON.stringify(request.metadata), 'utf8');
    if (bytes > limits.maxMetadataBytes) {
      throw new InvalidRequestError(
        `Invalid request: body.metadata is ${bytes} bytes as JSON, more than the limit of ${limits.maxMetadataBytes}.`,
      );
    }
  }
}
