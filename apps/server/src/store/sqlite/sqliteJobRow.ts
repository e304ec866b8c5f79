import type { JobRecord } from '../../domain/jobRecord.js';
import { type JobRowOf, toJobRecord } from '../jobRow.js';

export { jobColumns as columns } from '../jobRow.js';

/** A `jobs` row as better-sqlite3 returns it: JSON columns as text. */
export type JobRow = JobRowOf<string, number>;

export function toRecord(row: JobRow): JobRecord {
  return toJobRecord(row, (text) => JSON.parse(text) as unknown);
}
