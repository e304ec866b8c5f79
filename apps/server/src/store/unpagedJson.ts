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
    expect(chunk.length).toBeGreaterThan(0);
    const items = JSON.parse(`[${chunk.toString('utf8')}]`) as unknown[];
    texts.push(...items.map((job) => JSON.stringify(job)));
  }
  return texts;
}
