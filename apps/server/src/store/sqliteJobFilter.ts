import type { JobFilter } from './jobQueries.js';

export interface SqlCondition {
  /** A WHERE clause body over table `jobs`; "1" when nothing is filtered. */
  sql: string;
  params: (string | number)[];
}

/** LIKE pattern matching `text` anywhere, with its own wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** Turns a filter into SQL; each condition is served by an index (see sqliteSchema.ts). */
export function sqliteJobFilter(filter: JobFilter): SqlCondition {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (filter.statuses !== undefined) {
    clauses.push(`status IN (${filter.statuses.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.statuses);
  }
  for (const [key, value] of Object.entries(filter.metadata ?? {})) {
    clauses.push('seq IN (SELECT job_seq FROM job_metadata WHERE key = ? AND value = ?)');
    params.push(key, value);
  }
  if (filter.submittedAfter !== undefined) {
    clauses.push('start_time > ?');
    params.push(filter.submittedAfter);
  }
  if (filter.submittedBefore !== undefined) {
    clauses.push('start_time < ?');
    params.push(filter.submittedBefore);
  }
  if (filter.text !== undefined) {
    const pattern = containsPattern(filter.text);
    clauses.push("(submission_id LIKE ? ESCAPE '\\' OR entrypoint LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern);
  }
  return { sql: clauses.length === 0 ? '1' : clauses.join(' AND '), params };
}
