import type { JobEventType, JobListOrder, JobStatus } from '@jobs/contract';
import Database from 'better-sqlite3';
import type { ChangeNotifier } from '../changeNotifier.js';
import type {
  JobFilter,
  JobPage,
  JobQueries,
  JobTimes,
  JobTiming,
  ListPosition,
  PageRequest,
  StoreVersion,
  StoredJobEvent,
} from '../jobQueries.js';
import { type JobRow, columns as jobColumns, toRecord } from './sqliteJobRow.js';
import { type PruningPass, pruneEventsInWorker } from './sqliteEventPruning.js';
import { sqliteJobCandidates } from './sqliteJobFilter.js';
import { readSqlitePage } from './sqliteListPage.js';
import { readSqliteJsonList } from './sqliteUnpagedList.js';
import { readSqliteJobTimes, readSqliteJobTiming } from './sqliteJobTimes.js';
import {
  type StatusCounts,
  countedByStatusAlone,
  restrictToStatuses,
  zeroCounts,
} from '../statusCounts.js';

/** Filters come in a handful of shapes; past this many, the cache starts over. */
const MAX_CACHED_STATEMENTS = 256;

interface EventRow {
  id: number;
  type: JobEventType;
  job: string;
}

/**
 * Page cache of the connection that reads unpaged lists, in KiB. Such a read goes through every
 * job once, so a large cache holds nothing it reuses: the store connection's 16 MiB would only
 * grow the process by that much and push out the pages submissions need.
 */
const SCAN_CACHE_KIB = 2000;

/** List pages, counts and the change log over the SQLite store's connection. */
export class SqliteJobQueries implements JobQueries {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly scanStatements = new Map<string, Database.Statement>();
  /** A read-only connection of its own for unpaged lists, opened at the first one. */
  private scanDb: Database.Database | undefined;
  private readonly versionStatement;
  private readonly eventsStatement;
  private readonly boundsStatement;
  private readonly countsStatement;
  private pruning: PruningPass | undefined;
  private closed = false;
  private knownVersion: StoreVersion | undefined;

  /**
   * @param indexText indexes the jobs queued for the trigram index (sqliteTextIndex.ts): a text
   *   search calls it first, to find every job submitted before it.
   */
  constructor(
    private readonly db: Database.Database,
    private readonly notifier: ChangeNotifier,
    private readonly indexText: () => Promise<void> = () => Promise.resolve(),
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
    this.countsStatement = db.prepare('SELECT status, count FROM job_counts');
  }

  async listPage(filter: JobFilter, page: PageRequest): Promise<JobPage> {
    if (filter.text !== undefined) await this.indexText();
    const { rows, next } = readSqlitePage((sql) => this.prepare(sql), filter, page, jobColumns);
    return { jobs: (rows as unknown as JobRow[]).map(toRecord), next };
  }

  async *listAllJson(
    filter: JobFilter,
    order: JobListOrder,
    after: ListPosition | undefined,
  ): AsyncGenerator<string | Buffer> {
    if (filter.text !== undefined) await this.indexText();
    yield* readSqliteJsonList((sql) => this.prepareScan(sql), filter, order, after);
  }

  countByStatus(filter: JobFilter, scanLimit: number): Promise<StatusCounts> {
    if (countedByStatusAlone(filter)) {
      return Promise.resolve({
        byStatus: restrictToStatuses(readJobCounts(this.countsStatement), filter),
        capped: false,
      });
    }
    // Each candidate is counted under its status when it matches, under NULL when not; the
    // candidates together tell whether the walk stopped at its limit.
    const { where, params, candidates, candidateParams, jobRow } = sqliteJobCandidates(filter);
    const rows = this.prepare(
      jobRow
        ? `SELECT CASE WHEN ${where} THEN jobs.status END AS status, count(*) AS count
           FROM (${candidates}) AS candidate JOIN jobs ON jobs.seq = candidate.seq
           GROUP BY 1`
        : `SELECT CASE WHEN ${where} THEN status END AS status, count(*) AS count
           FROM (${candidates}) AS jobs GROUP BY 1`,
    ).all(...params, ...candidateParams, scanLimit) as {
      status: JobStatus | null;
      count: number;
    }[];
    const byStatus = zeroCounts();
    let read = 0;
    for (const row of rows) {
      read += row.count;
      if (row.status !== null) byStatus[row.status] = row.count;
    }
    return Promise.resolve({ byStatus, capped: read >= scanLimit });
  }

  jobTimes(filter: JobFilter, scanLimit: number): Promise<{ jobs: JobTimes[]; capped: boolean }> {
    return Promise.resolve(readSqliteJobTimes(this.db, filter, scanLimit));
  }

  jobTiming(submissionId: string): Promise<JobTiming | undefined> {
    return Promise.resolve(readSqliteJobTiming(this.db, submissionId));
  }

  /**
   * Kept until the store's next write (every write goes through its group commit, which calls
   * forgetVersion): an unchanged page is answered on every read of it, and reading the version
   * was an eighth of such an answer's time.
   */
  version(): Promise<StoreVersion> {
    this.knownVersion ??= Object.freeze(this.versionStatement.get() as StoreVersion);
    return Promise.resolve(this.knownVersion);
  }

  /** The store was written: the next version() reads it again. */
  forgetVersion(): void {
    this.knownVersion = undefined;
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
    const { oldest, latest } = await this.eventBounds();
    const upTo = latest - keep;
    // The store may have closed while the bounds were read.
    if (oldest === undefined || oldest > upTo || this.closed) return 0;
    const pass = pruneEventsInWorker(this.db.name, upTo);
    this.pruning = pass;
    try {
      return await pass.done;
    } finally {
      this.pruning = undefined;
    }
  }

  /** Stops a pruning pass still running; the store calls it before closing its connection. */
  async stopPruning(): Promise<void> {
    this.closed = true;
    await this.pruning?.stop();
  }

  onChange(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  /** Closes the connection of unpaged lists; the store closes its own. */
  close(): void {
    this.scanDb?.close();
    this.scanDb = undefined;
    this.scanStatements.clear();
  }

  private prepare(sql: string): Database.Statement {
    return cachedStatement(this.statements, this.db, sql);
  }

  private prepareScan(sql: string): Database.Statement {
    if (this.scanDb === undefined) {
      const scanDb = new Database(this.db.name, { readonly: true, fileMustExist: true });
      scanDb.pragma(`cache_size = -${String(SCAN_CACHE_KIB)}`);
      scanDb.pragma('busy_timeout = 5000');
      this.scanDb = scanDb;
    }
    return cachedStatement(this.scanStatements, this.scanDb, sql);
  }
}

function cachedStatement(
  statements: Map<string, Database.Statement>,
  db: Database.Database,
  sql: string,
): Database.Statement {
  let statement = statements.get(sql);
  if (statement === undefined) {
    if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}

/** The per-status counts the store's triggers keep (see sqliteSchema.ts). */
export function readJobCounts(statement: Database.Statement): Record<JobStatus, number> {
  const counts = zeroCounts();
  for (const row of statement.all() as { status: JobStatus; count: number }[]) {
    counts[row.status] = row.count;
  }
  return counts;
}
