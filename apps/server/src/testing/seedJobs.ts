import { join } from 'node:path';
import type { JobStatus } from '@jobs/contract';
import Database from 'better-sqlite3';
import { SqliteJobStore } from '../store/sqlite/sqliteJobStore.js';

export interface SeedJob {
  submissionId: string;
  entrypoint: string;
  status: Exclude<JobStatus, 'PENDING' | 'RUNNING'>;
  startTime: number;
  /** When it ended; at its start time when absent. */
  endTime?: number;
  metadata?: Record<string, string>;
}

/**
 * Writes finished jobs into the store file of `dataDir` in one transaction, oldest first (the
 * order of `jobs`), before a server opens it: thousands of jobs without running thousands of
 * processes. They go through the same table, triggers and indexes as submitted jobs.
 */
export async function seedJobs(dataDir: string, jobs: readonly SeedJob[]): Promise<void> {
  const file = join(dataDir, 'jobs.sqlite');
  await new SqliteJobStore(file).close();
  const db = new Database(file);
  try {
    const insert = db.prepare(
      `INSERT INTO jobs (submission_id, entrypoint, status, message, start_time, end_time,
         metadata, runtime_env, resources, node_id, exit_code, error_type)
       VALUES (@submissionId, @entrypoint, @status, 'Seeded.', @startTime, @endTime,
         @metadata, '{}', '{}', 'test-node', @exitCode, @errorType)`,
    );
    db.transaction(() => {
      for (const job of jobs) {
        insert.run({
          ...job,
          endTime: job.endTime ?? job.startTime,
          metadata: JSON.stringify(job.metadata ?? {}),
          exitCode: job.status === 'SUCCEEDED' ? 0 : null,
          errorType: job.status === 'FAILED' ? 'JOB_ENTRYPOINT_COMMAND_ERROR' : '',
        });
      }
    })();
  } finally {
    db.close();
  }
}
