import type Database from 'better-sqlite3';
import type { SqliteGroupCommit } from './sqliteGroupCommit.js';

/** Jobs added to the trigram index per write: a few milliseconds of the server's thread. */
const SLICE_JOBS = 500;
/** How long new jobs wait before they are indexed, so that many share one write. */
const INDEX_DELAY_MS = 500;

/**
 * Keeps the trigram index (`job_search`, what `q` is looked up in) off the submission's commit.
 * Written in the commit of each new job, it cost about 0.1 ms of the server's thread per commit
 * (FTS5 writes a segment per transaction and merges them), a third of an insert's work when a
 * storm of submissions commits one job at a time. A new job is only queued for it instead
 * (`job_search_pending`, written by the insert trigger in the same commit, see sqliteSchema.ts),
 * and queued jobs are added in slices, as writes of the group commit, shortly after.
 *
 * A search first indexes every job queued before it (`catchUp`), so it finds every job
 * submitted before it began. Queued jobs survive a restart in the table and are indexed after it.
 */
export class SqliteTextIndex {
  private readonly indexSlice: () => number;
  private readonly anyQueued: Database.Statement;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    db: Database.Database,
    private readonly writes: SqliteGroupCommit,
    private readonly delayMs = INDEX_DELAY_MS,
    private readonly sliceJobs = SLICE_JOBS,
  ) {
    const lastOfSlice = db.prepare(
      `SELECT max(seq) AS upTo, count(*) AS jobs
         FROM (SELECT seq FROM job_search_pending ORDER BY seq LIMIT ?)`,
    );
    const index = db.prepare(
      `INSERT INTO job_search (rowid, id_text, entrypoint_text)
         SELECT jobs.seq, submission_id, entrypoint
           FROM job_search_pending AS queued JOIN jobs ON jobs.seq = queued.seq
          WHERE queued.seq <= ?`,
    );
    const dequeue = db.prepare('DELETE FROM job_search_pending WHERE seq <= ?');
    this.anyQueued = db.prepare('SELECT 1 FROM job_search_pending LIMIT 1');
    this.indexSlice = () => {
      const { upTo, jobs } = lastOfSlice.get(sliceJobs) as { upTo: number | null; jobs: number };
      if (upTo === null) return 0;
      index.run(upTo);
      dequeue.run(upTo);
      return jobs;
    };
    if (this.isAnyQueued()) this.schedule(this.delayMs);
  }

  /** A job was queued: it is indexed within the delay. */
  jobQueued(): void {
    this.schedule(this.delayMs);
  }

  /**
   * Indexes every job queued now; resolves once that is committed. Writes nothing, at once, when
   * none is (the common case: a search asks this first).
   */
  async catchUp(): Promise<void> {
    while (!this.closed && this.isAnyQueued()) {
      await this.writes.write(this.indexSlice);
    }
  }

  /** Whether any job waits to be indexed: one row read, however many wait. */
  private isAnyQueued(): boolean {
    return this.anyQueued.get() !== undefined;
  }

  /** Stops indexing; jobs still queued are indexed after the next open. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.timer !== undefined || this.closed) return;
    this.timer = setTimeout(() => {
      void this.indexQueued();
    }, delayMs);
    this.timer.unref();
  }

  /** One slice, and the next at once if more are queued: queued jobs never pile up. */
  private async indexQueued(): Promise<void> {
    let full = false;
    try {
      full = (await this.writes.write(this.indexSlice)) === this.sliceJobs;
    } catch {
      // A failed write (a full disk) leaves its jobs queued for the next try.
    }
    this.timer = undefined;
    if (full) this.schedule(0);
  }
}
