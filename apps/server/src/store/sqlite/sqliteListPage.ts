import type Database from 'better-sqlite3';
import type { JobFilter, ListPosition, PageRequest } from '../jobQueries.js';
import { type ListSegment, listSegments, positionIn } from '../listSegments.js';
import { sqliteJobFilter } from './sqliteJobFilter.js';

/**
 * The run duration, spelt as the duration indexes of sqliteSchema.ts hold it: SQLite uses an
 * index on an expression only for that same expression.
 */
const DURATION = 'end_time - start_time';

/**
 * The query of one segment of a page: `select` (columns of jobs) with the row's seq and
 * duration, in the segment's order, at most `limit` rows.
 */
export function sqliteSegmentQuery(
  filter: JobFilter,
  segment: ListSegment,
  select: string,
  limit: number,
): { sql: string; params: (string | number)[] } {
  const selection = sqliteJobFilter(filter);
  const direction = segment.descending ? 'DESC' : 'ASC';
  const statuses = filter.statuses ?? [];
  if (selection.from === 'jobs' && statuses.length > 1) {
    // No index gives several statuses in one order: each status is walked in order on its own,
    // a page at most, and only those rows are sorted together.
    const parts = statuses.map((status) =>
      sqliteSegmentQuery({ ...filter, statuses: [status] }, segment, select, limit),
    );
    return {
      sql: `${parts.map((part) => `SELECT * FROM (${part.sql})`).join(' UNION ALL ')}
            ORDER BY ${segment.byDuration ? `duration ${direction}, ` : ''}seq ${direction} LIMIT ?`,
      params: [...parts.flatMap((part) => part.params), limit],
    };
  }
  const { seq } = selection;
  const clauses = [selection.where];
  const params = [...selection.params];
  if (segment.ended !== undefined) {
    clauses.push(segment.ended ? 'end_time IS NOT NULL' : 'end_time IS NULL');
  }
  const compare = segment.descending ? '<' : '>';
  if (segment.after !== undefined) {
    if ('duration' in segment.after) {
      // The plain bound is what SQLite walks the expression index from; the row value, which
      // it reads only as a filter, then skips the ties already listed.
      clauses.push(`${DURATION} ${compare}= ?`, `(${DURATION}, ${seq}) ${compare} (?, ?)`);
      params.push(segment.after.duration, segment.after.duration, segment.after.seq);
    } else {
      clauses.push(`${seq} ${compare} ?`);
      params.push(segment.after.seq);
    }
  }
  const orderBy = segment.byDuration
    ? `${DURATION} ${direction}, ${seq} ${direction}`
    : `${seq} ${direction}`;
  return {
    sql: `SELECT ${seq} AS seq, ${DURATION} AS duration, ${select} FROM ${selection.from}
          WHERE ${clauses.join(' AND ')} ORDER BY ${orderBy} LIMIT ?`,
    params: [...params, limit],
  };
}

/** A row of a page: its position and duration, and the columns selected. */
export type SqlitePageRow = { seq: number; duration: number | null } & Record<string, unknown>;

/**
 * Up to `request.limit` rows of a page, read segment after segment, and where the next page
 * starts. One row more than asked tells whether another page follows.
 */
export function readSqlitePage(
  prepare: (sql: string) => Database.Statement,
  filter: JobFilter,
  request: PageRequest,
  select: string,
): { rows: SqlitePageRow[]; next: ListPosition | undefined } {
  const rows: SqlitePageRow[] = [];
  for (const segment of listSegments(request.order, request.after)) {
    const { sql, params } = sqliteSegmentQuery(
      filter,
      segment,
      select,
      request.limit + 1 - rows.length,
    );
    rows.push(...(prepare(sql).all(...params) as SqlitePageRow[]));
    if (rows.length > request.limit) break;
  }
  const more = rows.length > request.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return {
    rows,
    next: more && last !== undefined ? positionIn(request.order, last) : undefined,
  };
}
