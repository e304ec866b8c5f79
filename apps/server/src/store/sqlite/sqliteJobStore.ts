import type { JobStatus } from '@jobs/contract';
import { closeSync, fchmodSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { JobAlreadyExistsError } from '../../errors.js';
import type { JobDriver, JobOutcome, JobRecord, NewJob } from '../../domain/jobRecord.js';
import { ChangeNotifier } from '../changeNotifier.js';
import { probeFreeSpace } from './freeSpaceProbe.js';
import type { JobStore } from '../jobStore.js';
import { SqliteGroupCommit } from './sqliteGroupCommit.js';
import { SqliteTextIndex } from './sqliteTextIndex.js';
import { SqliteJobQueries, readJobCounts } from './sqliteJobQueries.js';
import { sqliteQuickCheck } from './sqliteQuickCheck.js';
import { migrate } from './sqliteSchema.js';
import { type JobRow, columns, toRecord } from './sqliteJobRow.js';
import { StoreDamagedError, StoreOpenError } from '../storeErrors.js';

/**
 * Room the file system must have for the store to be ready: more than one submission of the
 * default limits writes (its row, its change-log entry and its search index, in the WAL).
 */
const FREE_SPACE_NEEDED = 1024 * 1024;

/** Problems `PRAGMA quick_check` reports at most; one is enough to refuse readiness. */
const INTEGRITY_PROBLEMS_SHOWN = 3;

const driverAssignments = `driver_ref = @ref, driver_id = @id, driver_pid = @pid,
  driver_node_ip = @nodeIp, driver_node_id = @nodeId`;

function sqliteCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return sqliteCode(error) === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** What opening a file that is not an SQLite database (or whose header is damaged) fails with. */
function isNotADatabase(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT';
}

/**
 * Creates the store file readable by its owner only (SQLite would make it 0644 less the umask),
 * or takes group and others' permissions off an existing one: it holds env_vars values. SQLite
 * gives the WAL and shared-memory files it creates the mode of the database file.
 */
function createPrivately(file: string): void {
  const fd = openSync(file, 'a', 0o600);
  try {
    const mode = fstatSync(fd).mode & 0o777;
    if ((mode & 0o077) !== 0) fchmodSync(fd, mode & 0o700);
  } finally {
    closeSync(fd);
  }
}

function openDatabase(file: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL: an acknowledged submission survives a power cut, not only a process crash.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db?.close();
    if (isNotADatabase(error)) {
      throw new StoreOpenError(
        `The job store ${file} is not a usable SQLite database (${(error as Error).message}); move it away or choose another --data-dir.`,
      );
    }
    throw error;
  }
}

/** The embedded store: one SQLite file in WAL mode, every change one transaction. */
export class SqliteJobStore implements JobStore {
  private readonly db: Database.Database;
  private readonly statements;
  private readonly writes: SqliteGroupCommit;
  private readonly textIndex: SqliteTextIndex;
  private readonly changes = new ChangeNotifier();
  readonly queries: SqliteJobQueries;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    createPrivately(file);
    this.db = openDatabase(file);
    this.queries = new SqliteJobQueries(this.db, this.changes, () => this.textIndex.catchUp());
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
        `UPDATE jobs SET status = 'RUNNING', message = @message, ${driverAssignments},
           running_since = @runningSince
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
      countByStatus: this.db.prepare('SELECT status, count FROM job_counts'),
      // Rewrites one tiny row as it is: a committed write that touches nothing else.
      writeProbe: this.db.prepare('UPDATE store_identity SET id = id'),
      listFinishedBefore: this.db.prepare(
        `SELECT submission_id FROM jobs WHERE end_time IS NOT NULL AND end_time < ?
         ORDER BY end_time LIMIT ?`,
      ),
      deleteFinished: this.db.prepare(
        `DELETE FROM jobs WHERE submission_id = @submissionId AND status NOT IN ('PENDING', 'RUNNING')`,
      ),
    };
    // In an explicit transaction: on its own, a RETURNING statement read with get() commits
    // when it is reset, and better-sqlite3 drops that commit's error (SQLITE_FULL): the row
    // would be answered and then lost. The group's COMMIT, a statement of its own, reports it.
    this.writes = new SqliteGroupCommit(this.db, () => {
      this.queries.forgetVersion();
    });
    this.textIndex = new SqliteTextIndex(this.db, this.writes);
  }

  /**
   * Runs `statement` with `values` in the next group commit; resolves once it is durable, with
   * whether it changed the job. `notify` wakes the followers of the change log.
   */
  private async change(
    statement: Database.Statement,
    values: Record<string, unknown>,
    notify = true,
  ): Promise<boolean> {
    const changes = await this.writes.write(() => statement.run(values).changes);
    if (notify && changes > 0) this.changes.notify();
    return changes === 1;
  }

  async insert(job: NewJob): Promise<JobRecord> {
    const values = {
      ...job,
      metadata: JSON.stringify(job.metadata),
      runtimeEnv: JSON.stringify(job.runtimeEnv),
      resources: JSON.stringify(job.resources),
    };
    try {
      const row = await this.writes.write(() => this.statements.insert.get(values) as JobRow);
      this.changes.notify();
      this.textIndex.jobQueued();
      return toRecord(row);
    } catch (error) {
      // Rejected, not thrown: callers of a promise-returning method may only look at the promise.
      if (isUniqueViolation(error))
        return Promise.reject(new JobAlreadyExistsError(job.submissionId));
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
    // The server's clock, as for start_time and end_time: another clock could make the queued
    // or the run time come out negative.
    return this.change(this.statements.markRunning, {
      submissionId,
      message,
      runningSince: Date.now(),
      ...driver,
    });
  }

  attachDriver(submissionId: string, driver: JobDriver): Promise<boolean> {
    return this.change(this.statements.attachDriver, { submissionId, ...driver });
  }

  finish(submissionId: string, outcome: JobOutcome): Promise<boolean> {
    return this.change(this.statements.finish, { submissionId, ...outcome });
  }

  setPendingMessage(submissionId: string, message: string): Promise<boolean> {
    return this.change(this.statements.setPendingMessage, { submissionId, message }, false);
  }

  requestStop(submissionId: string, message: string): Promise<boolean> {
    return this.change(this.statements.requestStop, { submissionId, message }, false);
  }

  listFinishedBefore(endTime: number, limit: number): Promise<string[]> {
    const rows = this.statements.listFinishedBefore.all(endTime, limit) as {
      submission_id: string;
    }[];
    return Promise.resolve(rows.map((row) => row.submission_id));
  }

  deleteFinished(submissionId: string): Promise<boolean> {
    return this.change(this.statements.deleteFinished, { submissionId });
  }

  countByStatus(): Promise<Record<JobStatus, number>> {
    return Promise.resolve(readJobCounts(this.statements.countByStatus));
  }

  async checkWritable(): Promise<void> {
    await this.writes.write(() => this.statements.writeProbe.run());
    await probeFreeSpace(dirname(this.file), FREE_SPACE_NEEDED);
  }

  async checkIntegrity(): Promise<void> {
    const problems = await sqliteQuickCheck(this.file);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      throw new StoreDamagedError(
        `The job store ${this.file} failed its integrity check: ${problems.slice(0, INTEGRITY_PROBLEMS_SHOWN).join('; ')}`,
      );
    }
  }

  async close(): Promise<void> {
    this.textIndex.close();
    this.writes.flush();
    await this.queries.stopPruning();
    this.queries.close();
    this.db.close();
  }
}
