import type { JobStatus } from '@jobs/contract';
import pg from 'pg';
import { InvalidRequestError } from '../../errors.js';
import type { JobDriver, JobOutcome, JobRecord, NewJob } from '../../domain/jobRecord.js';
import type { JobQueries } from '../jobQueries.js';
import type { JobStore } from '../jobStore.js';
import { PostgresChangeListener } from './postgresChangeListener.js';
import { classifyError, redactDatabaseUrl } from './postgresErrors.js';
import { PostgresGroupCommit } from './postgresGroupCommit.js';
import { PostgresJobQueries, readJobCounts } from './postgresJobQueries.js';
import type { RunCopyJson, RunQuery } from './postgresRunQuery.js';
import { postgresCopyJson } from './postgresCopyJson.js';
import { inlineParams } from './postgresLiterals.js';
import {
  type PostgresJobRow,
  driverAssignments,
  driverValues,
  jobColumns,
  toRecord,
} from './postgresJobRow.js';
import { checkSchemaVersion, migrate } from './postgresSchema.js';
import { DetailsJsonFill, type DetailsJsonFillEvents } from './postgresDetailsJsonFill.js';
import { recordHoldsUnstorableText } from './unstorableText.js';
import { StoreUnavailableError } from '../storeUnavailableError.js';

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** Connections for requests (one more is kept for LISTEN and the server lock). */
  poolSize: number;
  /**
   * Use the database alone: refuse to open one another server uses. Otherwise share it with
   * other replicas, refusing one used alone (see PostgresChangeListener).
   */
  exclusive: boolean;
  /** Connection trouble that no request saw: an idle connection lost, a reconnect failing. */
  onConnectionError: (error: unknown) => void;
  /**
   * The background fill of the texts of jobs that ended before schema 6 (postgresDetailsJsonFill.ts);
   * by default its failures go to onConnectionError.
   */
  fillEvents?: Partial<DetailsJsonFillEvents>;
}

/** How long a request waits for a connection before it is answered 503. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The networked store: PostgreSQL through a pool of `pg` connections. Reads are one statement
 * each; writes of one event-loop turn share one transaction on one connection
 * (postgresGroupCommit.ts). Triggers record each change in the change log in the transaction of
 * the change (postgresSchema.ts), and LISTEN/NOTIFY tells every replica after commit.
 */
export class PostgresJobStore implements JobStore {
  readonly queries: JobQueries;
  private readonly run: RunQuery;
  private readonly writes: PostgresGroupCommit;
  private readonly fill: DetailsJsonFill;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly listener: PostgresChangeListener,
    fillEvents: DetailsJsonFillEvents,
  ) {
    this.run = async <R extends object>(sql: string, params?: unknown[]) => {
      try {
        return (await pool.query<R>(sql, params)).rows;
      } catch (error) {
        throw classifyError(error);
      }
    };
    const copyJson: RunCopyJson = async (sql, params, commaFirst) => {
      try {
        return await postgresCopyJson(pool, inlineParams(sql, params), commaFirst);
      } catch (error) {
        throw classifyError(error);
      }
    };
    this.queries = new PostgresJobQueries(this.run, copyJson, listener);
    this.writes = new PostgresGroupCommit(pool);
    this.fill = new DetailsJsonFill(pool, fillEvents);
    this.fill.start();
  }

  /**
   * Connects, migrates the schema (once across replicas), starts listening for changes and
   * begins any fill the migrations left (postgresDetailsJsonFill.ts).
   */
  static async open(options: PostgresStoreOptions): Promise<PostgresJobStore> {
    const connection = {
      connectionString: options.url,
      application_name: 'jobs-server',
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    };
    const pool = new pg.Pool({ ...connection, max: options.poolSize });
    // An idle connection that breaks (database restarted) is dropped from the pool; without a
    // listener its error would end the process.
    pool.on('error', options.onConnectionError);
    try {
      const client = await pool.connect();
      try {
        await migrate(client);
      } finally {
        client.release();
      }
      const listener = await PostgresChangeListener.open(connection, {
        exclusive: options.exclusive,
        databaseName: redactDatabaseUrl(options.url),
        onConnectionError: options.onConnectionError,
      });
      return new PostgresJobStore(pool, listener, {
        filled: () => undefined,
        failed: options.onConnectionError,
        ...options.fillEvents,
      });
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw classifyError(error);
    }
  }

  insert(job: NewJob): Promise<JobRecord> {
    if (recordHoldsUnstorableText(job.metadata)) {
      return Promise.reject(
        new InvalidRequestError(
          'Invalid request: body.metadata holds a NUL character or half a surrogate pair, which the job store cannot keep.',
        ),
      );
    }
    return this.writes.insert(job);
  }

  async get(submissionId: string): Promise<JobRecord | undefined> {
    const rows = await this.run<PostgresJobRow>(
      `SELECT ${jobColumns} FROM jobs WHERE submission_id = $1`,
      [submissionId],
    );
    return rows[0] && toRecord(rows[0]);
  }

  async listActive(): Promise<JobRecord[]> {
    const rows = await this.run<PostgresJobRow>(
      `SELECT ${jobColumns} FROM jobs WHERE status IN ('PENDING', 'RUNNING') ORDER BY seq`,
    );
    return rows.map(toRecord);
  }

  private changed(sql: string, params: unknown[]): Promise<boolean> {
    return this.writes.change(sql, params);
  }

  markRunning(submissionId: string, driver: JobDriver, message: string): Promise<boolean> {
    // The server's clock, as for start_time and end_time: the database's could make the queued
    // or the run time come out negative.
    return this.changed(
      `UPDATE jobs SET status = 'RUNNING', message = $2, ${driverAssignments(3)},
         running_since = $8
       WHERE submission_id = $1 AND status = 'PENDING'`,
      [submissionId, message, ...driverValues(driver), Date.now()],
    );
  }

  attachDriver(submissionId: string, driver: JobDriver): Promise<boolean> {
    return this.changed(
      `UPDATE jobs SET ${driverAssignments(2)}
       WHERE submission_id = $1 AND status IN ('PENDING', 'RUNNING')`,
      [submissionId, ...driverValues(driver)],
    );
  }

  finish(submissionId: string, outcome: JobOutcome): Promise<boolean> {
    return this.changed(
      `UPDATE jobs SET status = $2, message = $3, exit_code = $4, error_type = $5, end_time = $6
       WHERE submission_id = $1 AND status IN ('PENDING', 'RUNNING')`,
      [
        submissionId,
        outcome.status,
        outcome.message,
        outcome.exitCode,
        outcome.errorType,
        outcome.endTime,
      ],
    );
  }

  setPendingMessage(submissionId: string, message: string): Promise<boolean> {
    return this.changed(
      `UPDATE jobs SET message = $2 WHERE submission_id = $1 AND status = 'PENDING'`,
      [submissionId, message],
    );
  }

  requestStop(submissionId: string, message: string): Promise<boolean> {
    return this.changed(
      `UPDATE jobs SET stop_message = $2
       WHERE submission_id = $1 AND status IN ('PENDING', 'RUNNING')`,
      [submissionId, message],
    );
  }

  async listFinishedBefore(endTime: number, limit: number): Promise<string[]> {
    const rows = await this.run<{ submission_id: string }>(
      `SELECT submission_id FROM jobs WHERE end_time IS NOT NULL AND end_time < $1
       ORDER BY end_time LIMIT $2`,
      [endTime, limit],
    );
    return rows.map((row) => row.submission_id);
  }

  deleteFinished(submissionId: string): Promise<boolean> {
    return this.changed(
      `DELETE FROM jobs WHERE submission_id = $1 AND status NOT IN ('PENDING', 'RUNNING')`,
      [submissionId],
    );
  }

  async countByStatus(): Promise<Record<JobStatus, number>> {
    return readJobCounts(this.run);
  }

  /** A committed write of one row, while this server hears changes and holds its lock. */
  async checkWritable(): Promise<void> {
    this.listener.check();
    await this.run('UPDATE store_identity SET id = id');
  }

  /**
   * Reads every row of the jobs and the change log (PostgreSQL checks each page it reads, and
   * its checksums when the cluster has them) and the schema version.
   */
  async checkIntegrity(): Promise<void> {
    try {
      await checkSchemaVersion(this.run);
      await this.run('SELECT count(*) FROM jobs');
      await this.run('SELECT count(*) FROM job_events');
    } catch (error) {
      // Unreachable is not damaged: checkWritable reports it, and a damaged mark would outlast
      // the outage until the next scheduled check.
      if (error instanceof StoreUnavailableError) return;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.fill.stop();
    await this.writes.flush();
    await this.listener.close();
    await this.pool.end();
  }
}
