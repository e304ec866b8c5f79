import { type JobEventType, type JobStatus, jobStatuses } from '@jobs/contract';
import type Database from 'better-sqlite3';
import type { ChangeNotifier } from './changeNotifier.js';
import type { JobFilter, JobPage, JobQueries, StoreVersion, StoredJobEvent } from './jobQueries.js';
import { type JobRow, columns as jobColumns, toRecord } from './sqliteJobStore.js';
import { jobDetailsJsonSql } from './sqliteJobDetailsJson.js';
import { sqliteJobFilter } from './sqliteJobFilter.js';

/** Filters come in a handful of shapes; past this many, the cache starts over. */
const MAX_CACHED_STATEMENTS = 256;

/** Old changes deleted per transaction when pruning. */
const PRUNE_BATCH = 5_000;

interface EventRow {
  id: number;
  type: JobEventType;
  job: string;
}

/** List pages, counts and the change log over the SQLite store's connection. */
export class SqliteJobQueries implements JobQueries {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly versionStatement;
  private readonly eventsStatement;
  private readonly boundsStatement;
  private readonly pruneStatement;

  constructor(
    private readonly db: Database.Database,
    private readonly notifier: ChangeNotifier,
  ) {
    this.versionStatement = db.prepare(
      `SELECT (SELECT id FROM store_identity) AS storeId,
              coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'job_events'), 0) AS lastEventId`,
    );
    this.eventsStatement = db.prepare(
      'SELECT id, type, job FROM job_events WHERE id > ? ORDER BY id LIMIT ?',
    );
    this.boundsStatement = db.prepare(
      `SELECT (SELECT min(id) FROM job_events) AS oldest,
              coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'job_events'), 0) AS latest`,
    );
    this.pruneStatement = db.prepare(
      `DELETE FROM job_events WHERE id IN
         (SELECT id FROM job_events WHERE id <= ? ORDER BY id LIMIT ${String(PRUNE_BATCH)})`,
    );
  }

  listPage(filter: JobFilter, page: { before?: number; limit: number }): Promise<JobPage> {
    const where = sqliteJobFilter(filter);
    const before = page.before === undefined ? '' : `AND ${where.seq} < ?`;
    const statement = this.prepare(
      `SELECT ${where.seq} AS seq, ${jobColumns} FROM ${where.from}
       WHERE ${where.where} ${before} ORDER BY ${where.seq} DESC LIMIT ?`,
    );
    // One row more than asked tells whether another page follows.
    const params = [...where.params, ...(page.before === undefined ? [] : [page.before])];
    const rows = statement.all(...params, page.limit + 1) as (JobRow & { seq: number })[];
    const more = rows.length > page.limit;
    if (more) rows.pop();
    return Promise.resolve({
      jobs: rows.map(toRecord),
      next: more ? rows[rows.length - 1]?.seq : undefined,
    });
  }

  listPageJson(
    filter: JobFilter,
    page: { before?: number; limit: number },
  ): Promise<{ items: string[]; next: number | undefined }> {
    const where = sqliteJobFilter(filter);
    const before = page.before === undefined ? '' : `AND ${where.seq} < ?`;
    const statement = this.prepare(
      `SELECT ${where.seq} AS seq, ${jobDetailsJsonSql} AS json FROM ${where.from}
       WHERE ${where.where} ${before} ORDER BY ${where.seq} DESC LIMIT ?`,
    );
    const params = [...where.params, ...(page.before === undefined ? [] : [page.before])];
    const rows = statement.all(...params, page.limit + 1) as { seq: number; json: string }[];
    const more = rows.length > page.limit;
    if (more) rows.pop();
    return Promise.resolve({
      items: rows.map((row) => row.json),
      next: more ? rows[rows.length - 1]?.seq : undefined,
    });
  }

  countByStatus(filter: JobFilter): Promise<Record<JobStatus, number>> {
    const where = sqliteJobFilter(filter);
    const rows = this.prepare(
      `SELECT status, count(*) AS count FROM ${where.from} WHERE ${where.where} GROUP BY status`,
    ).all(...where.params) as { status: JobStatus; count: number }[];
    const counts = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<
      JobStatus,
      number
    >;
    for (const row of rows) counts[row.status] = row.count;
    return Promise.resolve(counts);
  }

  version(): Promise<StoreVersion> {
    return Promise.resolve(this.versionStatement.get() as StoreVersion);
  }

  eventsAfter(afterId: number, limit: number): Promise<StoredJobEvent[]> {
    const rows = this.eventsStatement.all(afterId, limit) as EventRow[];
    return Promise.resolve(
      rows.map((row) => ({
        id: row.id,
        type: row.type,
        job: toRecord(JSON.parse(row.job) as JobRow),
      })),
    );
  }

  eventBounds(): Promise<{ oldest: number | undefined; latest: number }> {
    const row = this.boundsStatement.get() as { oldest: number | null; latest: number };
    return Promise.resolve({ oldest: row.oldest ?? undefined, latest: row.latest });
  }

  async pruneEvents(keep: number): Promise<number> {
    const { latest } = await this.eventBounds();
    const upTo = latest - keep;
    let deleted = 0;
    for (;;) {
      const { changes } = this.pruneStatement.run(upTo);
      deleted += changes;
      if (changes < PRUNE_BATCH) return deleted;
      // Lets requests waiting on the connection run between two batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  onChange(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}
