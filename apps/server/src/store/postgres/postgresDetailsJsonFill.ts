import type pg from 'pg';
import { FILLING_SETTING } from './postgresJobDetailsJson.js';

/** Jobs whose kept text one transaction of the fill writes. */
export const FILL_BATCH = 500;

/** How soon a replica looks again while another one fills, or after a failed batch. */
export const FILL_RETRY_MS = 30_000;

export interface DetailsJsonFillEvents {
  /** This server wrote the last batch: `jobs` texts it wrote in all, over `elapsedMs`. */
  filled: (jobs: number, elapsedMs: number) => void;
  /** A batch failed; it is tried again later. */
  failed: (error: unknown) => void;
}

/**
 * Writes the kept JobDetails JSON (details_json) of the jobs that had ended before migration 6,
 * in the range its row of job_details_fill names (postgresJobDetailsJson.ts), in the background
 * after the store opens. Each batch is one short transaction over FILL_BATCH positions of seq,
 * and the next waits as long as the batch took, so other statements, this server's and other
 * replicas', go on meanwhile. The batch holds the row of job_details_fill (SKIP LOCKED): one
 * replica fills at a time, and while one fills the others look again every FILL_RETRY_MS, so one that
 * stops leaves the rest to another.
 * Readers cannot tell: a job without its text has it built as it is read.
 */
export class DetailsJsonFill {
  private timer: NodeJS.Timeout | undefined;
  private batch: Promise<void> | undefined;
  private stopped = false;
  private written = 0;
  private startedAt: number | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly events: DetailsJsonFillEvents,
    private readonly batchSize = FILL_BATCH,
  ) {}

  /** Begins the fill in the background, if the database holds one. */
  start(): void {
    this.schedule(0);
  }

  /** Stops between batches, waiting for the one running. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.batch;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.batch = this.fillBatch().then(
        (next) => {
          if (next !== undefined) this.schedule(next);
        },
        (error: unknown) => {
          this.events.failed(error);
          this.schedule(FILL_RETRY_MS);
        },
      );
    }, delayMs);
    // The fill never keeps the process alive.
    this.timer.unref();
  }

  /**
   * Writes one batch. Answers how long to wait before the next one, or undefined when nothing is
   * left to fill.
   */
  async fillBatch(): Promise<number | undefined> {
    const started = performance.now();
    this.startedAt ??= started;
    const client = await this.pool.connect();
    let failed = false;
    try {
      await client.query('BEGIN');
      const range = await this.claimRange(client);
      if (range === 'none' || range === 'held') {
        await client.query('COMMIT');
        return range === 'held' ? FILL_RETRY_MS : undefined;
      }
      await client.query('SELECT set_config($1, $2, true)', [FILLING_SETTING, 'on']);
      const end = Math.min(range.next + this.batchSize - 1, range.last);
      // The trigger jobs_details_json writes the text of any row an UPDATE leaves ended: the
      // UPDATE only has it fire, so each text is built once.
      const updated = await client.query(
        `UPDATE jobs SET details_json = NULL
         WHERE seq BETWEEN $1 AND $2 AND end_time IS NOT NULL AND details_json IS NULL`,
        [range.next, end],
      );
      // The batch's entries of the GIN indexes (metadata, search) wait in their pending lists;
      // they are merged here rather than by whichever insert next fills a list, which would
      // make a submit wait (up to 370 ms in bench/postgresUpgrade.bench.mjs, 73 ms after). Only
      // the indexes' owner may merge: another role leaves the merges to PostgreSQL.
      await client.query(
        `SELECT gin_clean_pending_list(i.indexrelid) FROM pg_index i
           JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
         WHERE i.indrelid = 'jobs'::regclass AND a.amname = 'gin'
           AND pg_has_role(c.relowner, 'USAGE')`,
      );
      const done = end >= range.last;
      if (done) await client.query('DELETE FROM job_details_fill');
      else await client.query('UPDATE job_details_fill SET next_seq = $1', [end + 1]);
      await client.query('COMMIT');
      this.written += updated.rowCount ?? 0;
      if (done) {
        this.events.filled(this.written, performance.now() - this.startedAt);
        return undefined;
      }
      return performance.now() - started;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release(failed);
    }
  }

  /**
   * The range left to fill, locked until this transaction ends; 'held' while another replica's
   * batch holds it, 'none' once nothing is left.
   */
  private async claimRange(
    client: pg.PoolClient,
  ): Promise<{ next: number; last: number } | 'held' | 'none'> {
    const table = await client.query<{ present: boolean }>(
      `SELECT to_regclass('job_details_fill') IS NOT NULL AS present`,
    );
    // A database migrated by an earlier text of migration 6 filled every row in the migration.
    if (table.rows[0]?.present !== true) return 'none';
    const { rows } = await client.query<{ next_seq: string; last_seq: string }>(
      'SELECT next_seq, last_seq FROM job_details_fill FOR UPDATE SKIP LOCKED',
    );
    const row = rows[0];
    if (row !== undefined) return { next: Number(row.next_seq), last: Number(row.last_seq) };
    const left = await client.query<{ left: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM job_details_fill) AS left',
    );
    return left.rows[0]?.left === true ? 'held' : 'none';
  }
}
