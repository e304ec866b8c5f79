import type { JobListOrder } from '@jobs/contract';
import type { JobFilter, ListPosition } from '../jobQueries.js';
import { postgresJobDetailsJsonSql } from './postgresJobDetailsJson.js';
import type { RunQuery } from './postgresRunQuery.js';
import { readPostgresPage } from './postgresListPage.js';

/**
 * Jobs read per query of an unpaged list. Each query is a round trip with its planning, which in
 * steps of 100 cost more than building the rows' JSON; 1,000 rows are under 1 MB of text.
 */
const READ_SIZE = 1_000;

/**
 * Jobs per chunk handed out: a chunk's joined text (about 80 KB) stays below V8's large-object
 * size, so it dies young instead of piling up until a full collection.
 */
const CHUNK = 100;

/**
 * Every job matching `filter` in `order` after `after`, as chunks of JobDetails JSON texts joined
 * by commas (see listAllJson of store/jobQueries.ts). Each job's text comes from PostgreSQL,
 * kept in its row once the job has ended (postgresJobDetailsJson.ts). Pages of READ_SIZE are
 * read by position as a paged list reads them, each on a pool connection only for its query,
 * and the next page is read while this one is written out, so the database and this process
 * work at the same time. At most two pages are held.
 */
export async function* readPostgresJsonList(
  query: RunQuery,
  filter: JobFilter,
  order: JobListOrder,
  after: ListPosition | undefined,
): AsyncGenerator<string> {
  const read = (from: ListPosition | undefined) => {
    const page = readPostgresPage(
      query,
      filter,
      { order, after: from, limit: READ_SIZE },
      `${postgresJobDetailsJsonSql} AS json`,
    );
    // A reader that stops early leaves the page read ahead unawaited: its failure is not news.
    page.catch(() => undefined);
    return page;
  };
  let reading = read(after);
  for (;;) {
    const { rows, next } = await reading;
    if (next !== undefined) reading = read(next);
    for (let start = 0; start < rows.length; start += CHUNK) {
      yield rows
        .slice(start, start + CHUNK)
        .map((row) => row.json as string)
        .join(',');
    }
    if (next === undefined) return;
  }
}
