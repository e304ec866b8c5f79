import type { JobListOrder } from '@jobs/contract';
import type { JobFilter, ListPosition } from '../jobQueries.js';
import { type ListSegment, listSegments, segmentsAfterRead } from '../listSegments.js';
import { postgresJobDetailsJsonSql } from './postgresJobDetailsJson.js';
import { postgresSegmentQuery } from './postgresListPage.js';
import type { RunCopyJson } from './postgresRunQuery.js';

/**
 * Jobs read per query of an unpaged list. Each query is a round trip with its planning, which in
 * steps of 100 cost more than building the rows' JSON; 1,000 rows are under 1 MB of text.
 */
const READ_SIZE = 1_000;

/**
 * The body of the unpaged list: every job matching `filter` in `order` after `after`, its
 * JobDetails JSON texts joined by commas, in pieces (see listAllJson of store/jobQueries.ts).
 * Each job's text comes from PostgreSQL, kept in its row once the job has ended
 * (postgresJobDetailsJson.ts), and goes out as the bytes PostgreSQL sent: reads use COPY in
 * binary, rewritten in place into the list's text (postgresCopyJson.ts). Reads of READ_SIZE go
 * segment after segment by position, as pages are read, each on a pool connection only for its
 * query, and the next read runs while this one is written out, so the database and this process
 * work at the same time. At most two reads are held.
 */
export async function* readPostgresJsonList(
  copyJson: RunCopyJson,
  filter: JobFilter,
  order: JobListOrder,
  after: ListPosition | undefined,
): AsyncGenerator<Buffer> {
  const read = (segments: ListSegment[], commaFirst: boolean) => {
    const [segment] = segments;
    if (segment === undefined) return undefined;
    const { sql, params } = postgresSegmentQuery(
      filter,
      segment,
      `${postgresJobDetailsJsonSql} AS json`,
      READ_SIZE,
    );
    const copied = copyJson(sql, params, commaFirst);
    // A reader that stops early leaves the read ahead unawaited: its failure is not news.
    copied.catch(() => undefined);
    return { segments, copied };
  };
  let written = false;
  let reading = read(listSegments(order, after), false);
  while (reading !== undefined) {
    const { rows, last, pieces } = await reading.copied;
    written ||= rows > 0;
    reading = read(
      segmentsAfterRead(order, reading.segments, { count: rows, last }, READ_SIZE),
      written,
    );
    yield* pieces;
  }
}
