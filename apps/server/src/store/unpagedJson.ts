import type { JobListOrder } from '@jobs/contract';
import { expect } from 'vitest';
import type { JobFilter, JobQueries, ListPosition } from './jobQueries.js';

/** The JobDetails JSON texts of the unpaged list, one a job (the chunks split apart). */
export async function unpagedJson(
  queries: JobQueries,
  filter: JobFilter,
  order: JobListOrder,
  after?: ListPosition,
): Promise<string[]> {
  const texts: string[] = [];
  for await (const chunk of queries.listAllJson(filter, order, after)) {
    expect(chunk).not.toBe('');
    texts.push(...(JSON.parse(`[${chunk}]`) as unknown[]).map((job) => JSON.stringify(job)));
  }
  return texts;
}
