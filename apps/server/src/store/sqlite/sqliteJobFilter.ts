import type { JobFilter } from '../jobQueries.js';

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

/** The conditions of `filter` other than the leading one, as predicates on a row of `jobs`. */
function conditions(
  filter: JobFilter,
  metadata: [string, string][],
): { clauses: string[]; params: (string | number)[] } {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  for (const [key, value] of metadata) {
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
    const pattern = containsPattern(filter.text);
    clauses.push("(submission_id LIKE ? ESCAPE '\\' OR entrypoint LIKE ? ESCAPE '\\')");
    params.push(pattern, pattern);
  }
  return { clauses, params };
}

/** Whether the trigram index can look `text` up. Counted in code points, as its tokenizer counts. */
function indexable(text: string | undefined): text is string {
  return text !== undefined && Array.from(text).length >= MIN_INDEXED_TEXT;
}

/** The trigram index query finding `text` (a superset of q's matches: the index folds every letter). */
function matchQuery(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * Turns a filter into SQL served by indexes (see sqliteSchema.ts). With a metadata filter the
 * walk starts from the metadata index, whose (key, value, job_seq) order is already newest
 * last: a page reads only matching jobs, however rare or common the value. Without one, a
 * text search starts from the trigram index the same way.
 */
export function sqliteJobFilter(filter: JobFilter): SqlSelection {
  const [first, ...others] = Object.entries(filter.metadata ?? {});
  const { clauses, params } = conditions(filter, others);
  if (first !== undefined) {
    return {
      from: 'job_metadata AS m JOIN jobs ON jobs.seq = m.job_seq',
      where: ['m.key = ? AND m.value = ?', ...clauses].join(' AND '),
      params: [...first, ...params],
      seq: 'm.job_seq',
    };
  }
  if (indexable(filter.text)) {
    // The trigram index leads, in job order, and stops at the page size; LIKE narrows its rows
    // to q's meaning (ASCII letters fold, no other).
    return {
      from: 'job_search JOIN jobs ON jobs.seq = job_search.rowid',
      where: ['job_search MATCH ?', ...clauses].join(' AND '),
      params: [matchQuery(filter.text), ...params],
      seq: 'job_search.rowid',
    };
  }
  return {
    from: 'jobs',
    where: clauses.length === 0 ? '1' : clauses.join(' AND '),
    params,
    seq: 'seq',
  };
}

/**
 * Every condition of `filter` as a predicate on a row of `jobs`, and a query of at most `limit`
 * candidate seqs (parameter `?` last) that holds every match when it returns fewer than `limit`:
 * the index walk a count stops after, however many jobs the filter would otherwise read. It
 * leads with the metadata filter, else the time range, else the newest jobs. When
 * `jobRow` is false, the candidates carry their job's status and `where` reads only that: a
 * count needs no job row.
 */
export function sqliteJobCandidates(filter: JobFilter): {
  where: string;
  params: (string | number)[];
  candidates: string;
  candidateParams: (string | number)[];
  jobRow: boolean;
} {
  const [first, ...others] = Object.entries(filter.metadata ?? {});
  if (first !== undefined) {
    const statusOnly =
      others.length === 0 &&
      filter.text === undefined &&
      filter.submittedAfter === undefined &&
      filter.submittedBefore === undefined;
    // The metadata index holds every entry's job status (sqliteSchema.ts).
    const { clauses, params } = conditions(filter, others);
    return {
      where: clauses.length === 0 ? '1' : clauses.join(' AND '),
      params,
      candidates: `SELECT job_seq AS seq${statusOnly ? ', job_status AS status' : ''}
                   FROM job_metadata WHERE key = ? AND value = ? ORDER BY job_seq DESC LIMIT ?`,
      candidateParams: first,
      jobRow: !statusOnly,
    };
  }
  const { clauses, params } = conditions(filter, []);
  const where = clauses.length === 0 ? '1' : clauses.join(' AND ');
  // q never leads a count: the trigram index would intersect the posting lists of every job
  // sharing q's trigrams before any limit applied. The newest jobs are tested one by one instead.
  if (filter.submittedAfter !== undefined || filter.submittedBefore !== undefined) {
    return {
      where,
      params,
      candidates: `SELECT seq FROM jobs WHERE start_time > ? AND start_time < ?
                   ORDER BY start_time DESC LIMIT ?`,
      candidateParams: [
        filter.submittedAfter ?? -1,
        filter.submittedBefore ?? Number.MAX_SAFE_INTEGER,
      ],
      jobRow: true,
    };
  }
  return {
    where,
    params,
    candidates: 'SELECT seq FROM jobs ORDER BY seq DESC LIMIT ?',
    candidateParams: [],
    jobRow: true,
  };
}
