import type { JobEventType, JobListOrder, JobStatus } from '@jobs/contract';
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
import type { PostgresChangeListener } from './postgresChangeListener.js';
import type { RunCopyJson, RunQuery } from './postgresRunQuery.js';
import { joinedReads } from '../joinedReads.js';
import { postgresJobCandidates } from './postgresJobFilter.js';
import { readPostgresPage } from './postgresListPage.js';
import { readPostgresJsonList } from './postgresUnpagedList.js';
import { readPostgresJobTimes, readPostgresJobTiming } from './postgresJobTimes.js';
import {
  type StatusCounts,
  countedByStatusAlone,
  restrictToStatuses,
  zeroCounts,
} from '../statusCounts.js';
import { type PostgresJobRow, jobColumns, toRecord } from './postgresJobRow.js';

/**
 * Old changes deleted per transaction when pruning: short transactions, so that the pool's
 * connections and the table's locks are never held long, whatever the backlog.
 */
const PRUNE_BATCH = 1_000;

/** The per-status counts the store's trigger keeps (see postgresSchema.ts). */
export async function readJobCounts(query: RunQuery): Promise<Record<JobStatus, number>> {
  const counts = zeroCounts();
  const rows = await query<{ status: JobStatus; count: string }>(
    'SELECT status, count FROM job_counts',
  );
  for (const row of rows) counts[row.status] = Number(row.count);
  return counts;
}

/** List pages, counts and the change log of the PostgreSQL store. */
export class PostgresJobQueries implements JobQueries {
  constructor(
    private readonly query: RunQuery,
    private readonly copyJson: RunCopyJson,
    private readonly listener: PostgresChangeListener,
  ) {}

  async listPage(filter: JobFilter, page: PageRequest): Promise<JobPage> {
    const { rows, next } = await readPostgresPage(this.query, filter, page, jobColumns);
    return { jobs: (rows as unknown as PostgresJobRow[]).map(toRecord), next };
  }

  listAllJson(
    filter: JobFilter,
    order: JobListOrder,
    after: ListPosition | undefined,
  ): AsyncGenerator<string | Buffer> {
    return readPostgresJsonList(this.copyJson, filter, order, after);
  }

  async countByStatus(filter: JobFilter, scanLimit: number): Promise<StatusCounts> {
    if (countedByStatusAlone(filter)) {
      return {
        byStatus: restrictToStatuses(await readJobCounts(this.query), filter),
        capped: false,
      };
    }
    // Each candidate is counted under its status when it matches, under NULL when not; the
    // candidates together tell whether the walk stopped at its limit.
    const { where, candidates, params } = postgresJobCandidates(filter, scanLimit);
    const rows = await this.query<{ status: JobStatus | null; count: string }>(
      `SELECT CASE WHEN ${where} THEN status END AS status, count(*) AS count
       FROM (${candidates}) AS jobs GROUP BY 1`,
      params,
    );
    const byStatus = zeroCounts();
    let read = 0;
    for (const row of rows) {
      read += Number(row.count);
      if (row.status !== null) byStatus[row.status] = Number(row.count);
    }
    return { byStatus, capped: read >= scanLimit };
  }

  jobTimes(filter: JobFilter, scanLimit: number): Promise<{ jobs: JobTimes[]; capped: boolean }> {
    return readPostgresJobTimes(this.query, filter, scanLimit);
  }

  jobTiming(submissionId: string): Promise<JobTiming | undefined> {
    return readPostgresJobTiming(this.query, submissionId);
  }

  /**
   * Requests that ask at once (a crowd of page reads, each validating its kept page) share one
   * read begun after they asked, so each still sees every change acknowledged before it.
   */
  readonly version = joinedReads(() => this.readVersion());

  private async readVersion(): Promise<StoreVersion> {
    const rows = await this.query<{ store_id: string; last_id: string }>(
      `SELECT (SELECT id FROM store_identity) AS store_id,
              (SELECT last_id FROM job_event_counter) AS last_id`,
    );
    return { storeId: rows[0]?.store_id ?? '', lastEventId: Number(rows[0]?.last_id ?? 0) };
  }

  async eventsAfter(afterId: number, limit: number): Promise<StoredJobEvent[]> {
    const rows = await this.query<{ id: string; type: JobEventType; job: PostgresJobRow }>(
      'SELECT id, type, job FROM job_events WHERE id > $1 ORDER BY id LIMIT $2',
      [afterId, limit],
    );
    return rows.map((row) => ({ id: Number(row.id), type: row.type, job: toRecord(row.job) }));
  }

  async eventBounds(): Promise<{ oldest: number | undefined; latest: number }> {
    // One statement, one snapshot: the bounds agree with each other.
    const rows = await this.query<{ oldest: string | null; latest: string }>(
      `SELECT (SELECT min(id) FROM job_events) AS oldest,
              (SELECT last_id FROM job_event_counter) AS latest`,
    );
    const row = rows[0];
    return {
      oldest: row?.oldest == null ? undefined : Number(row.oldest),
      latest: Number(row?.latest ?? 0),
    };
  }

  async pruneEvents(keep: number): Promise<number> {
    const { latest } = await this.eventBounds();
    const upTo = latest - keep;
    let deleted = 0;
    for (;;) {
      const rows = await this.query<{ id: string }>(
        `DELETE FROM job_events WHERE id IN
           (SELECT id FROM job_events WHERE id <= $1 ORDER BY id LIMIT ${String(PRUNE_BATCH)})
         RETURNING id`,
        [upTo],
      );
      deleted += rows.length;
      if (rows.length < PRUNE_BATCH) return deleted;
    }
  }

  onChange(listener: () => void): () => void {
    return this.listener.subscribe(listener);
  }
}
