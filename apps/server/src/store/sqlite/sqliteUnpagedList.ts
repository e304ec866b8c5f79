import type { JobListOrder } from '@jobs/contract';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import type { JobFilter, ListPosition } from '../jobQueries.js';
import { type ListSegment, listSegments, segmentsAfterRead } from '../listSegments.js';
import { jobDetailsJsonSql } from './sqliteJobDetailsJson.js';
import { sqliteSegmentQuery } from './sqliteListPage.js';

/**
 * Jobs read per query of an unpaged list. Each read is a short query of its own, so no read
 * transaction stays open while a slow client takes the list. A read's text (about 80 KB for jobs
 * of usual size) stays below V8's large-object size: it dies young, and SQLite's text becomes a
 * string three times faster than at 250 jobs a read.
 */
export const SQLITE_READ_SIZE = 100;

/** One read: how many jobs it held, the last of them, and their JSON texts joined by commas. */
interface ReadRow {
  count: number;
  seq: number;
  duration: number | null;
  items: string | null;
}

/**
 * The query of one read of `segment`: its jobs' JSON joined by commas in SQLite, one value a
 * read instead of a row per job. The aggregate orders the texts itself (the order of a
 * subquery's rows is not promised to an aggregate) and names the read's last row, where the next
 * read starts.
 */
function readQuery(
  filter: JobFilter,
  segment: ListSegment,
  limit: number,
): { sql: string; params: (string | number)[] } {
  const { sql, params } = sqliteSegmentQuery(
    filter,
    segment,
    `${jobDetailsJsonSql} AS json`,
    limit,
  );
  const direction = segment.descending ? 'DESC' : 'ASC';
  if (!segment.byDuration) {
    // seq alone orders the segment: its extreme is the last row, whose other columns SQLite
    // gives beside a lone min() or max().
    return {
      sql: `SELECT count(*) AS count, ${segment.descending ? 'min' : 'max'}(seq) AS seq, duration,
              group_concat(json, ',' ORDER BY seq ${direction}) AS items
            FROM (${sql})`,
      params,
    };
  }
  // Ties in duration: the rows are numbered in the segment's order to find the last one.
  return {
    sql: `SELECT count(*) AS count, max(n), seq, duration,
            group_concat(json, ',' ORDER BY n) AS items
          FROM (SELECT seq, duration, json,
                  row_number() OVER (ORDER BY duration ${direction}, seq ${direction}) AS n
                FROM (${sql}))`,
    params,
  };
}

/**
 * Every job matching `filter` in `order` after `after`: their JobDetails JSON texts joined by
 * commas, a piece a read (each after the first starting with its comma). Reads of `readSize`
 * jobs go segment after segment, each from where the previous one ended, as pages are read; a
 * reader that stops taking pieces stops the reads. A read blocks the event loop (about a
 * millisecond): other requests are served between reads.
 */
export async function* readSqliteJsonList(
  prepare: (sql: string) => Database.Statement,
  filter: JobFilter,
  order: JobListOrder,
  after: ListPosition | undefined,
  readSize = SQLITE_READ_SIZE,
): AsyncGenerator<string> {
  let segments = listSegments(order, after);
  let written = false;
  for (let segment = segments[0]; segment !== undefined; segment = segments[0]) {
    const { sql, params } = readQuery(filter, segment, readSize);
    const read = prepare(sql).get(...params) as ReadRow;
    if (read.items !== null) {
      yield written ? `,${read.items}` : read.items;
      written = true;
    }
    segments = segmentsAfterRead(order, segments, { count: read.count, last: read }, readSize);
    await nextTurn();
  }
}
