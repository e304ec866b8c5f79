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

/** Bytes of JSON per chunk handed out, about: 125 chunks for 10,000 jobs of usual size. */
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

/**
 * Joins JSON texts by commas into strings of about CHUNK_BYTES, through one buffer reused for
 * every chunk. A string is made once per chunk (not once per job) and dies young on the heap,
 * collected as soon as it is written; buffers handed out instead would each be memory outside
 * the heap, freed only as often as the heap is collected, and the process's memory would grow
 * by tens of MB while lists are served.
 */
class ChunkJoiner {
  private scratch = Buffer.allocUnsafe(CHUNK_BYTES * 2);

  /** The JSON texts of `rows`, joined by commas in chunks. */
  *chunks(rows: readonly CopyRow[]): Generator<string> {
    let texts: Buffer[] = [];
    let length = -1;
    for (const row of rows) {
      const text = rowJson(row);
      texts.push(text);
      length += text.length + 1;
      if (length >= CHUNK_BYTES) {
        yield this.joined(texts, length);
        texts = [];
        length = -1;
      }
    }
    if (texts.length > 0) yield this.joined(texts, length);
  }

  private joined(texts: readonly Buffer[], length: number): string {
    if (this.scratch.length < length) this.scratch = Buffer.allocUnsafe(length);
    let at = 0;
    for (const [i, text] of texts.entries()) {
      if (i > 0) at = this.scratch.writeUInt8(0x2c, at);
      at += text.copy(this.scratch, at);
    }
    // Whole texts only, so no character is cut in two.
    return this.scratch.toString('utf8', 0, length);
  }
}

/**
 * Every job matching `filter` in `order` after `after`, as chunks of JobDetails JSON texts joined
 * by commas (see listAllJson of store/jobQueries.ts). Each job's text comes from PostgreSQL,
 * kept in its row once the job has ended (postgresJobDetailsJson.ts). Pages are read with COPY
 * in binary: the texts arrive as bytes, not as a string a job, and are joined as bytes.
 * Pages of READ_SIZE are read by position as a paged list reads them, each on a pool connection
 * only for its query, and the next page is read while this one is written out, so the database
 * and this process work at the same time. At most two pages are held.
 */
export async function* readPostgresJsonList(
  copy: RunCopy,
  filter: JobFilter,
  order: JobListOrder,
  after: ListPosition | undefined,
): AsyncGenerator<string> {
  const joiner = new ChunkJoiner();
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
    yield* joiner.chunks(rows);
    if (next === undefined) return;
  }
}
