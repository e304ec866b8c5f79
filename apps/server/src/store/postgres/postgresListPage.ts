import type { JobFilter, ListPosition, PageRequest } from '../jobQueries.js';
import { type ListSegment, listSegments, positionIn } from '../listSegments.js';
import { postgresJobFilter } from './postgresJobFilter.js';
import type { RunQuery } from './postgresRunQuery.js';

/**
 * The run duration, spelt as the duration indexes of postgresSchema.ts hold it: PostgreSQL uses
 * an index on an expression only for that same expression.
 */
const DURATION = '(end_time - start_time)';

/**
 * The query of one segment of a page: `select` (columns of jobs) with the row's seq and
 * duration, in the segment's order, at most `limit` rows.
 */
export function postgresSegmentQuery(
  filter: JobFilter,
  segment: ListSegment,
  select: string,
  limit: number,
  paramsBefore = 0,
): { sql: string; params: unknown[] } {
  const direction = segment.descending ? 'DESC' : 'ASC';
  const statuses = filter.statuses ?? [];
  if (
    statuses.length > 1 &&
    Object.keys(filter.metadata ?? {}).length === 0 &&
    filter.text === undefined
  ) {
    // No index gives several statuses in one order: each status is walked in order on its own,
    // a page at most, and only those rows are sorted together.
    const params: unknown[] = [];
    const parts = statuses.map((status) => {
      const part = postgresSegmentQuery(
        { ...filter, statuses: [status] },
        segment,
        select,
        limit,
        paramsBefore + params.length,
      );
      params.push(...part.params);
      return `(${part.sql})`;
    });
    params.push(limit);
    return {
      sql: `${parts.join(' UNION ALL ')}
            ORDER BY ${segment.byDuration ? `duration ${direction}, ` : ''}seq ${direction}
            LIMIT $${String(paramsBefore + params.length)}`,
      params,
    };
  }
  const { where, params } = postgresJobFilter(filter, paramsBefore);
  const param = (value: unknown) => {
    params.push(value);
    return `$${String(paramsBefore + params.length)}`;
  };
  const clauses = [where];
  if (segment.ended !== undefined) {
    clauses.push(segment.ended ? 'end_time IS NOT NULL' : 'end_time IS NULL');
  }
  const compare = segment.descending ? '<' : '>';
  if (segment.after !== undefined) {
    clauses.push(
      'duration' in segment.after
        ? `(${DURATION}, seq) ${compare} (${param(segment.after.duration)}::bigint, ${param(segment.after.seq)}::bigint)`
        : `seq ${compare} ${param(segment.after.seq)}::bigint`,
    );
  }
  const orderBy = segment.byDuration
    ? `${DURATION} ${direction}, seq ${direction}`
    : `seq ${direction}`;
  return {
    sql: `SELECT seq, ${DURATION} AS duration, ${select} FROM jobs
          WHERE ${clauses.join(' AND ')} ORDER BY ${orderBy} LIMIT ${param(limit)}`,
    params,
  };
}

/** A row of a page: its position and duration, and the columns selected. */
export type PostgresPageRow = { seq: string; duration: string | null } & Record<string, unknown>;

/**
 * Up to `request.limit` rows of a page, read segment after segment, and where the next page
 * starts. One row more than asked tells whether another page follows.
 */
export async function readPostgresPage(
  query: RunQuery,
  filter: JobFilter,
  request: PageRequest,
  select: string,
): Promise<{ rows: PostgresPageRow[]; next: ListPosition | undefined }> {
  const rows: PostgresPageRow[] = [];
  for (const segment of listSegments(request.order, request.after)) {
    const { sql, params } = postgresSegmentQuery(
      filter,
      segment,
      select,
      request.limit + 1 - rows.length,
    );
    rows.push(...(await query<PostgresPageRow>(sql, params)));
    if (rows.length > request.limit) break;
  }
  const more = rows.length > request.limit;
  if (more) rows.pop();
  const last = rows[rows.length - 1];
  return {
    rows,
    next:
      more && last !== undefined
        ? positionIn(request.order, {
            seq: Number(last.seq),
            duration: last.duration === null ? null : Number(last.duration),
          })
        : undefined,
  };
}
