import type { JobListOrder } from '@jobs/contract';
import { expect } from 'vitest';
import type { JobFilter, JobQueries, ListPosition } from './jobQueries.js';

/** The JobDetails JSON texts of the unpaged list, one a job (its pieces joined and split apart). */
export async function unpagedJson(
  queries: JobQueries,
  filter: JobFilter,
  order: JobListOrder,
  after?: ListPosition,
): Promise<string[]> {
  const pieces: Buffer[] = [];
  for await (const piece of queries.listAllJson(filter, order, after)) {
    expect(piece.length).toBeGreaterThan(0);
    pieces.push(typeof piece === 'string' ? Buffer.from(piece) : piece);
  }
  const body = Buffer.concat(pieces).toString('utf8');
  return (JSON.parse(`[${body}]`) as unknown[]).map((job) => JSON.stringify(job));
}
