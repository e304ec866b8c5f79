import type { JobFilter } from './jobQueries.js';

/** Rows of `jobs` a filter selects, with the column that orders them newest first. */
export interface SqlSelection {
  /** FROM clause; `jobs` columns keep their names. */
  from: string;
  /** WHERE clause body; "1" when nothing is filtered. */
  where: string;
  params: (string | number)[];
  /** The job's store position, as an ordering an index serves without sorting. */
  seq: string;
}

/** Shortest text the trigram index can look up; shorter text is matched row by row. */
const MIN_INDEXED_TEXT = 3;

/** LIKE pattern matching `text` anywhere, with its own wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Turns a filter into SQL served by indexes (see sqliteSchema.ts). With a metadata filter the
 * walk starts from the metadata index, whose (key, value, job_seq) order is already newest
 * last: a page reads only matching jobs, however rare or common the value. Without one, a
 * text search starts from the trigram index the same way.
 */
export function sqliteJobFilter(filter: JobFilter): SqlSelection {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const [first, ...others] = Object.entries(filter.metadata ?? {});
  let from = 'jobs';
  let seq = 'seq';
  if (first !== undefined) {
    from = 'job_metadata AS m JOIN jobs ON jobs.seq = m.job_seq';
    seq = 'm.job_seq';
    clauses.push('m.key = ? AND m.value = ?');
    params.push(...first);
  }
  for (const [key, value] of others) {
    clauses.push(
      'EXISTS (SELECT 1 FROM job_metadata WHERE key = ? AND value = ? AND job_seq = jobs.seq)',
    );
    params.push(key, value);
  }
  if (filter.statuses !== undefined) {
    clauses.push(`status IN (${filter.statuses.map(() => '?').join(', ') || 'NULL'})`);
    params.push(...filter.statuses);
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
    // Counted in code points, as the tokenizer counts characters.
    if (first === undefined && Array.from(filter.text).length >= MIN_INDEXED_TEXT) {
      // The trigram index leads, in job order, and stops at the page size. It folds every
      // letter, so LIKE below narrows its rows to q's meaning (ASCII letters fold, no other).
      from = 'job_search JOIN jobs ON jobs.seq = job_search.rowid';
      seq = 'job_search.rowid';
      clauses.unshift('job_search MATCH ?');
      params.unshift(`"${filter.text.replace(/"/g, '""')}"`);
    }
    const pattern = containsPattern(filter.text);
    clauses.push("(submission_id LIKE ? ESCAPE '\\' OR entrypoint LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern);
  }
  return { from, where: clauses.length === 0 ? '1' : clauses.join(' AND '), params, seq };
}
