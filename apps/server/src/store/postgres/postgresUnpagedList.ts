import type { JobListOrder } from '@jobs/contract';
import type { JobFilter, ListPosition } from '../jobQueries.js';
import type { CopyRow } from './copyBinaryParser.js';
import { postgresJobDetailsJsonSql } from './postgresJobDetailsJson.js';
import type { RunCopy } from './postgresRunQuery.js';
import { readPostgresPage } from './postgresListPage.js';

/**
 * Jobs read per query of an unpaged list. Each query is a round trip with its planning, which in
 * steps of 100 cost more than building the rows' JSON; 1,000 rows are under 1 MB of text.
 */
const READ_SIZE = 1_000;

/**
 * Bytes of JSON per chunk handed out, about: one chunk is one write to the socket, and a list's
 * chunks are few (125 for 10,000 jobs of usual size) while each stays small.
 */
const CHUNK_BYTES = 64 * 1024;

/** The columns of the list's COPY: seq, duration, then the job's JSON (postgresSegmentQuery). */
const COLUMNS = ['int8', 'int8', 'bytes'] as const;

function rowPosition(row: CopyRow) {
  const [seq, duration] = row;
  if (typeof seq !== 'number') throw new Error('a listed job has no seq');
  return { seq, duration: typeof duration === 'number' ? duration : null };
}

function rowJson(row: CopyRow): Buffer {
  const json = row[2];
  if (!(json instanceof Buffer)) throw new Error('a listed job has no JSON');
  return json;
}

/** `texts` joined by commas into one buffer of `length` bytes. */
function joined(texts: readonly Buffer[], length: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  let at = 0;
  for (const [i, text] of texts.entries()) {
    if (i > 0) at = chunk.writeUInt8(0x2c, at);
    at += text.copy(chunk, at);
  }
  return chunk;
}

/** The JSON texts of `rows` in chunks of about CHUNK_BYTES, joined by commas within each. */
function* joinedChunks(rows: readonly CopyRow[]): Generator<Buffer> {
  let texts: Buffer[] = [];
  let length = -1;
  for (const row of rows) {
    const text = rowJson(row);
    texts.push(text);
    length += text.length + 1;
    if (length >= CHUNK_BYTES) {
      yield joined(texts, length);
      texts = [];
      length = -1;
    }
  }
  if (texts.length > 0) yield joined(texts, length);
}

/**
 * Every job matching `filter` in `order` after `after`, as chunks of JobDetails JSON texts joined
 * by commas (see listAllJson of store/jobQueries.ts). Each job's text comes from PostgreSQL,
 * kept in its row once the job has ended (postgresJobDetailsJson.ts), and reaches the client as
 * the bytes PostgreSQL sent: pages are read with COPY in binary, never decoded into strings.
 * Pages of READ_SIZE are read by position as a paged list reads them, each on a pool connection
 * only for its query, and the next page is read while this one is written out, so the database
 * and this process work at the same time. At most two pages are held.
 */
export async function* readPostgresJsonList(
  copy: RunCopy,
  filter: JobFilter,
  order: JobListOrder,
  after: ListPosition | undefined,
): AsyncGenerator<Buffer> {
  const read = (from: ListPosition | undefined) => {
    const page = readPostgresPage(
      (sql, params) => copy(sql, params, COLUMNS),
      rowPosition,
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
    yield* joinedChunks(rows);
    if (next === undefined) return;
  }
}
