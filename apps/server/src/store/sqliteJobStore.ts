import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type JobErrorType, type JobStatus, jobStatuses } from '@jobs/contract';
import { JobAlreadyExistsError } from '../errors.js';
import type { JobDriver, JobOutcome, JobRecord, NewJob } from '../domain/jobRecord.js';
import { ChangeNotifier } from './changeNotifier.js';
import type { JobQueries } from './jobQueries.js';
import type { JobStore } from './jobStore.js';
import { SqliteJobQueries } from './sqliteJobQueries.js';
import { migrate } from './sqliteSchema.js';

export interface JobRow {
  submission_id: string;
  entrypoint: string;
  status: JobStatus;
  message: string;
  start_time: number;
  end_time: number | null;
  metadata: string;
  runtime_env: string;
  resources: string;
  node_id: string;
  driver_ref: string | null;
  driver_id: string;
  driver_pid: string;
  driver_node_ip: string;
  driver_node_id: string;
  exit_code: number | null;
  error_type: JobErrorType | '';
  request_digest: string;
  stop_message: string | null;
}

export const columns = `submission_id, entrypoint, status, message, start_time, end_time, metadata,
  runtime_env, resources, node_id, driver_ref, driver_id, driver_pid, driver_node_ip, driver_node_id,
  exit_code, error_type, request_digest, stop_message`;

export function toRecord(row: JobRow): JobRecord {
  return {
    submissionId: row.submission_id,
    entrypoint: row.entrypoint,
    status: row.status,
    message: row.message,
    startTime: row.start_time,
    endTime: row.end_time,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    runtimeEnv: JSON.parse(row.runtime_env) as Record<string, unknown>,
    resources: JSON.parse(row.resources) as JobRecord['resources'],
    nodeId: row.node_id,
    driver:
      row.driver_ref === null
        ? null
        : {
            ref: row.driver_ref,
            id: row.driver_id,
            pid: row.driver_pid,
            nodeIp: row.driver_node_ip,
            nodeId: row.driver_node_id,
          },
    exitCode: row.exit_code,
    errorType: row.error_type,
    requestDigest: row.request_digest,
    stopMessage: row.stop_message,
  };
}

const driverAssignments = `driver_ref = @ref, driver_id = @id, driver_pid = @pid,
  driver_node_ip = @nodeIp, driver_node_id = @nodeId`;

function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    (error as { code: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

/** The embedded store: one SQLite file in WAL mode, every change one transaction. */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly changes = new ChangeNotifier();
  readonly queries: JobQueries;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // FULL: an acknowledged submission survives a power cut, not only a process crash.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    this.queries = new SqliteJobQueries(this.db, this.changes);
    this.statements = {
      insert: this.db.prepare(
        `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, metadata,
           runtime_env, resources, node_id, request_digest)
         VALUES (@submissionId, @entrypoint, 'PENDING', @message, @startTime, @metadata,
           @runtimeEnv, @resources, @nodeId, @requestDigest)
         RETURNING ${columns}`,
      ),
      get: this.db.prepare(`SELECT ${columns} FROM jobs WHERE submission_id = ?`),
      listActive: this.db.prepare(
        `SELECT ${columns} FROM jobs WHERE status IN ('PENDING', 'RUNNING') ORDER BY seq`,
      ),
      markRunning: this.db.prepare(
        `UPDATE jobs SET status = 'RUNNING', message = @message, ${driverAssignments}
         WHERE submission_id = @submissionId AND status = 'PENDING'`,
      ),
      attachDriver: this.db.prepare(
        `UPDATE jobs SET ${driverAssignments}
         WHERE submission_id = @submissionId AND status IN ('PENDING', 'RUNNING')`,
      ),
      finish: this.db.prepare(
        `UPDATE jobs SET status = @status, message = @message, exit_code = @exitCode,
           error_type = @errorType, end_time = @endTime
         WHERE submission_id = @submissionId AND status IN ('PENDING', 'RUNNING')`,
      ),
      setPendingMessage: this.db.prepare(
        `UPDATE jobs SET message = @message WHERE submission_id = @submissionId AND status = 'PENDING'`,
      ),
      requestStop: this.db.prepare(
        `UPDATE jobs SET stop_message = @message
         WHERE submission_id = @submissionId AND status IN ('PENDING', 'RUNNING')`,
      ),
      countByStatus: this.db.prepare(`SELECT status, COUNT(*) AS count FROM jobs GROUP BY status`),
      ping: this.db.prepare('SELECT 1'),
      listFinishedBefore: this.db.prepare(
        `SELECT submission_id FROM jobs WHERE end_time IS NOT NULL AND end_time < ?
         ORDER BY end_time LIMIT ?`,
      ),
      deleteFinished: this.db.prepare(
        `DELETE FROM jobs WHERE submission_id = ? AND status NOT IN ('PENDING', 'RUNNING')`,
      ),
    };
  }

  insert(job: NewJob): Promise<JobRecord> {
    try {
      const row = this.statements.insert.get({
        ...job,
        metadata: JSON.stringify(job.metadata),
        runtimeEnv: JSON.stringify(job.runtimeEnv),
        resources: JSON.stringify(job.resources),
      }) as JobRow;
      this.changes.notify();
      return Promise.resolve(toRecord(row));
    } catch (error) {
      if (isUniqueViolation(error)) throw new JobAlreadyExistsError(job.submissionId);
      throw error;
    }
  }

  get(submissionId: string): Promise<JobRecord | undefined> {
    const row = this.statements.get.get(submissionId) as JobRow | undefined;
    return Promise.resolve(row && toRecord(row));
  }

  listActive(): Promise<JobRecord[]> {
    return Promise.resolve((this.statements.listActive.all() as JobRow[]).map(toRecord));
  }

  markRunning(submissionId: string, driver: JobDriver, message: string): Promise<boolean> {
    const result = this.statements.markRunning.run({ submissionId, message, ...driver });
    if (result.changes > 0) this.changes.notify();
    return Promise.resolve(result.changes === 1);
  }

  attachDriver(submissionId: string, driver: JobDriver): Promise<boolean> {
    const result = this.statements.attachDriver.run({ submissionId, ...driver });
    if (result.changes > 0) this.changes.notify();
    return Promise.resolve(result.changes === 1);
  }

  finish(submissionId: string, outcome: JobOutcome): Promise<boolean> {
    const result = this.statements.finish.run({ submissionId, ...outcome });
    if (result.changes > 0) this.changes.notify();
    return Promise.resolve(result.changes === 1);
  }

  setPendingMessage(submissionId: string, message: string): Promise<boolean> {
    const result = this.statements.setPendingMessage.run({ submissionId, message });
    return Promise.resolve(result.changes === 1);
  }

  requestStop(submissionId: string, message: string): Promise<boolean> {
    const result = this.statements.requestStop.run({ submissionId, message });
    return Promise.resolve(result.changes === 1);
  }

  listFinishedBefore(endTime: number, limit: number): Promise<string[]> {
    const rows = this.statements.listFinishedBefore.all(endTime, limit) as {
      submission_id: string;
    }[];
    return Promise.resolve(rows.map((row) => row.submission_id));
  }

  deleteFinished(submissionId: string): Promise<boolean> {
    const deleted = this.statements.deleteFinished.run(submissionId).changes === 1;
    if (deleted) this.changes.notify();
    return Promise.resolve(deleted);
  }

  countByStatus(): Promise<Record<JobStatus, number>> {
    const counts = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as Record<
      JobStatus,
      number
    >;
    for (const row of this.statements.countByStatus.all() as {
      status: JobStatus;
      count: number;
    }[]) {
      counts[row.status] = row.count;
    }
    return Promise.resolve(counts);
  }

  ping(): Promise<void> {
    this.statements.ping.get();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.db.close();
    return Promise.resolve();
  }
}
