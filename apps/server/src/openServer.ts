import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { lockDataDir } from './dataDirLock.js';
import { JobListing } from './jobs/jobListing.js';
import { JobService } from './jobs/jobService.js';
import { recoverInterruptedJobs } from './jobs/recoverInterruptedJobs.js';
import { JobLogs } from './runner/jobLogs.js';
import { JobRunner } from './runner/jobRunner.js';
import { serverVersion } from './serverVersion.js';
import { SqliteJobStore } from './store/sqliteJobStore.js';

export interface ServerOptions {
  dataDir: string;
  nodeId: string;
  nodeIp: string;
  stopGraceMs: number;
  maxBodyBytes: number;
  validateResponses: boolean;
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
  /** Stops every running job, records it, and closes the store. */
  close(): Promise<void>;
}

/** Wires store, logs, runner, service and HTTP app over one data dir. */
export async function openServer(options: ServerOptions): Promise<OpenServer> {
  mkdirSync(options.dataDir, { recursive: true });
  const unlock = lockDataDir(options.dataDir);
  const store = new SqliteJobStore(join(options.dataDir, 'jobs.sqlite'));
  const logs = new JobLogs(options.dataDir);
  await recoverInterruptedJobs(store, options.logger);
  const runner = new JobRunner({
    store,
    logs,
    logger: options.logger,
    nodeIp: options.nodeIp,
    stopGraceMs: options.stopGraceMs,
    baseEnv: options.driverEnv,
    cwd: options.driverCwd,
    shell: options.shell,
  });
  const jobs = new JobService({ store, runner, logs, nodeId: options.nodeId });
  const app = createApp({
    jobs,
    listing: new JobListing(store.queries, serverVersion),
    logger: options.logger,
    serverVersion,
    maxBodyBytes: options.maxBodyBytes,
    validateResponses: options.validateResponses,
  });
  return {
    app,
    runner,
    async close() {
      await runner.stopAll('Job was stopped because the job server shut down.');
      await store.close();
      unlock();
    },
  };
}
