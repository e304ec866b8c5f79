import { createHash } from 'node:crypto';
import type { ValidSubmitJobRequest } from '@jobs/contract';

/** JSON with object keys sorted at every level, so equal requests serialise equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Identifies what a submission asked for, whatever the key order, null-valued keys or the
 * spelling of the id (submission_id or its alias job_id).
 */
export function requestDigest(submissionId: string, request: ValidSubmitJobRequest): string {
  const { job_id: _alias, ...rest } = request;
  return createHash('sha256')
    .update(canonicalJson({ ...rest, submission_id: submissionId }))
    .digest('hex');
}
