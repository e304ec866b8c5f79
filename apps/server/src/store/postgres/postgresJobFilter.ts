import { foldSearchText } from '@jobs/contract';
import type { JobFilter } from '../jobQueries.js';
import { foldAscii } from './postgresSchema.js';
import { holdsUnstorableText, recordHoldsUnstorableText } from './unstorableText.js';

/** The WHERE clause of a filter over `jobs`, with its parameters numbered from $1. */
export interface PostgresSelection {
  where: string;
  params: unknown[];
}

/** LIKE pattern matching `text` anywhere, with its own wildcards taken literally. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * Turns a filter into SQL the indexes of postgresSchema.ts serve: metadata by jsonb containment
 * (GIN), q by LIKE over the ASCII-folded text (trigram GIN). A condition no stored job can meet
 * (text PostgreSQL cannot hold) is `false`, not an error. Parameters are numbered after
 * `paramsBefore` others.
 */
export function postgresJobFilter(filter: JobFilter, paramsBefore = 0): PostgresSelection {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown) => {
    params.push(value);
    return `$${paramsBefore + params.length}`;
  };
  const metadata = filter.metadata ?? {};
  if (Object.keys(metadata).length > 0) {
    clauses.push(
      recordHoldsUnstorableText(metadata)
        ? 'false'
        : `metadata::jsonb @> ${param(JSON.stringify(metadata))}::jsonb`,
    );
  }
  if (filter.statuses !== undefined) {
    // One status is an equality, so an index led by status also gives the order within it.
    const [only, ...others] = filter.statuses;
    clauses.push(
      only !== undefined && others.length === 0
        ? `status = ${param(only)}`
        : `status = ANY(${param(filter.statuses)}::text[])`,
    );
  }
  if (filter.submittedAfter !== undefined) {
    clauses.push(`start_time > ${param(filter.submittedAfter)}`);
  }
  if (filter.submittedBefore !== undefined) {
    clauses.push(`start_time < ${param(filter.submittedBefore)}`);
  }
  if (filter.text !== undefined) {
    if (holdsUnstorableText(filter.text)) clauses.push('false');
    else {
      const pattern = param(containsPattern(foldSearchText(filter.text)));
      clauses.push(
        `(${foldAscii('submission_id')} LIKE ${pattern} OR ${foldAscii('entrypoint')} LIKE ${pattern})`,
      );
    }
  }
  return { where: clauses.length === 0 ? 'true' : clauses.join(' AND '), params };
}

/** The columns a filter's conditions read. */
const filteredColumns = 'seq, status, metadata, start_time, submission_id, entrypoint';

/**
 * Every condition of `filter` over a row of `jobs`, and a query of at most `limit` candidate rows
 * that holds every match when it returns fewer than `limit`: the index walk a count stops
 * after, however many jobs the filter would otherwise read. It leads with the metadata filter
 * (the job_metadata index, newest first), else the time range, else the newest jobs. When the
 * filter is one metadata entry and statuses at most, the candidates are read from the metadata
 * index alone, which holds each job's status (postgresSchema.ts).
 */
export function postgresJobCandidates(
  filter: JobFilter,
  limit: number,
): { where: string; candidates: string; params: unknown[] } {
  const all = postgresJobFilter(filter);
  const entries = Object.entries(filter.metadata ?? {});
  const [first] = entries;
  if (first !== undefined && !recordHoldsUnstorableText(filter.metadata ?? {})) {
    /** The newest `limit` entries of the metadata index for `first`, numbered after `before`. */
    const walk = (before: number) =>
      `SELECT job_seq, job_status FROM job_metadata
       WHERE key = $${String(before + 1)} AND value = $${String(before + 2)}
       ORDER BY job_seq DESC LIMIT $${String(before + 3)}`;
    const statusOnly =
      entries.length === 1 &&
      filter.text === undefined &&
      filter.submittedAfter === undefined &&
      filter.submittedBefore === undefined;
    if (statusOnly) {
      // `where` reads no column but status: the statuses, or true.
      const statuses = postgresJobFilter({ statuses: filter.statuses });
      return {
        where: statuses.where,
        candidates: `SELECT job_seq AS seq, job_status AS status
                     FROM (${walk(statuses.params.length)}) AS entry`,
        params: [...statuses.params, ...first, limit],
      };
    }
    return {
      where: all.where,
      candidates: `SELECT ${filteredColumns}
                   FROM (${walk(all.params.length)}) AS entry JOIN jobs ON jobs.seq = entry.job_seq`,
      params: [...all.params, ...first, limit],
    };
  }
  // q never leads: the trigram index would read every job sharing q's trigrams before the
  // limit applied. The newest jobs are tested one by one instead.
  const lead: JobFilter =
    entries.length > 0
      ? { metadata: filter.metadata }
      : { submittedAfter: filter.submittedAfter, submittedBefore: filter.submittedBefore };
  const leading = postgresJobFilter(lead, all.params.length);
  const timeLed = lead.metadata === undefined && leading.where !== 'true';
  const params = [...all.params, ...leading.params, limit];
  return {
    where: all.where,
    candidates: `SELECT ${filteredColumns} FROM jobs WHERE ${leading.where}
                 ORDER BY ${timeLed ? 'start_time' : 'seq'} DESC LIMIT $${params.length}`,
    params,
  };
}
