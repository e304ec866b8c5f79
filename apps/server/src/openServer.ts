import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { lockDataDir } from './dataDirLock.js';
import { JobService } from './jobs/jobService.js';
import { resumeActiveJobs } from './jobs/resumeActiveJobs.js';
import { JobLogs } from './runner/jobLogs.js';
import { JobRunFiles } from './runner/jobRunFiles.js';
import { JobRunner } from './runner/jobRunner.js';
import { type NodeCapacity, ResourcePool } from './runner/resourcePool.js';
import { serverVersion } from './serverVersion.js';
import { SqliteJobStore } from './store/sqliteJobStore.js';

export interface ServerOptions {
  dataDir: string;
  nodeId: string;
  nodeIp: string;
  stopGraceMs: number;
  capacity: NodeCapacity;
  startTimeoutMs: number;
  maxBodyBytes: number;
  validateResponses: boolean;
  /** On close, stop running jobs (true) or leave them running for the next server to adopt. */
  stopJobsOnShutdown: boolean;
  logger: Logger;
  /** Environment drivers start from. */
  driverEnv: NodeJS.ProcessEnv;
  /** Directory drivers start in. */
  driverCwd: string;
  shell?: string;
}

export interface OpenServer {
  app: Express;
  runner: JobRunner;
  /** Stops or releases every running job (see stopJobsOnShutdown), then closes the store. */
  close(): Promise<void>;
}

/** Wires store, logs, runner, service and HTTP app over one data dir. */
export async function openServer(options: ServerOptions): Promise<OpenServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const unlock = lockDataDir(options.dataDir);
  const store = new SqliteJobStore(join(options.dataDir, 'jobs.sqlite'));
  const logs = new JobLogs(options.dataDir);
  const runFiles = new JobRunFiles(options.dataDir);
  const runner = new JobRunner({
    store,
    logs,
    runFiles,
    logger: options.logger,
    nodeIp: options.nodeIp,
    stopGraceMs: options.stopGraceMs,
    pool: new ResourcePool(options.capacity),
    startTimeoutMs: options.startTimeoutMs,
    baseEnv: options.driverEnv,
    cwd: options.driverCwd,
    shell: options.shell,
  });
  await resumeActiveJobs(store, runner, runFiles, options.logger);
  const jobs = new JobService({ store, runner, logs, runFiles, nodeId: options.nodeId });
  const app = createApp({
    jobs,
    logger: options.logger,
    serverVersion,
    maxBodyBytes: options.maxBodyBytes,
    validateResponses: options.validateResponses,
  });
  return {
    app,
    runner,
    async close() {
      if (options.stopJobsOnShutdown) {
        await runner.stopAll('Job was stopped because the job server shut down.');
      } else {
        await runner.releaseAll();
      }
      await store.close();
      unlock();
    },
  };
}
