import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import type { Logger } from 'pino';
import type { ApiToken } from './access/apiTokens.js';
import { createApp } from './app.js';
import { RequestCrowding } from './http/requestCrowding.js';
import { AuditLog } from './audit/auditLog.js';
import { lockDataDir } from './dataDirLock.js';
import {
  DEFAULT_MAX_CONCURRENT_LOG_READS,
  DEFAULT_MAX_LOG_STREAMS,
} from './http/concurrencyLimit.js';
import type { OperationsDeps } from './http/operationsRouter.js';
import { JobListing } from './jobs/jobListing.js';
import { JobService } from './jobs/jobService.js';
import { EventLogPruner } from './jobs/eventLogPruner.js';
import { RetentionSweeper } from './jobs/retentionSweeper.js';
import { type SubmissionLimits, defaultSubmissionLimits } from './jobs/submissionLimits.js';
import { JobsMetrics } from './metrics/jobsMetrics.js';
import type { RunAsUser } from './executor/jobBaseEnvironment.js';
import type { JobExecutor } from './executor/jobExecutor.js';
import { JobLifecycle } from './executor/jobLifecycle.js';
import type { QueuePolicy } from './executor/local/admissionQueue.js';
import { JobProcesses } from './executor/local/jobProcesses.js';
import { JobRunFiles } from './executor/local/jobRunFiles.js';
import { LocalExecutor } from './executor/local/localExecutor.js';
import { type SlurmSettings, createSlurmExecutor } from './executor/slurm/createSlurmExecutor.js';
import { type NodeCapacity, ResourcePool } from './executor/local/resourcePool.js';
import type { StartPace } from './executor/local/startGate.js';
import { JobLogs } from './logs/jobLogs.js';
import { PackageStore } from './packages/packageStore.js';
import { PackageSweeper } from './packages/packageSweeper.js';
import { makeDataDirPrivate } from './privateDataDir.js';
import { createReadinessCheck } from './readiness.js';
import { serverVersion } from './serverVersion.js';
import { MeasuredJobStore } from './store/measuredJobStore.js';
import type { JobStore } from './store/jobStore.js';
import { PostgresJobStore } from './store/postgres/postgresJobStore.js';
import { RetryingJobStore } from './store/retryingJobStore.js';
import { SqliteJobStore } from './store/sqlite/sqliteJobStore.js';
import { StoreIntegrityWatch } from './store/storeIntegrityWatch.js';
import { ReplicatedSlurmExecutor } from './executor/slurm/replicatedSlurmExecutor.js';
import {
  AlwaysLeader,
  type LeaderTask,
  type Leadership,
  runWhileLeading,
} from './upkeep/leadership.js';
import { PostgresLeadership } from './upkeep/postgresLeadership.js';

/** How often the store's pages are checked (PRAGMA quick_check), besides once at start. */
const STORE_CHECK_INTERVAL_MS = 10 * 60_000;
const DEFAULT_MAX_PACKAGE_BYTES = 512 * 1024 * 1024;
const DEFAULT_PACKAGE_UNUSED_MS = 24 * 3_600_000;
/** Time between two attempts of a replica to lead: how soon one takes over from a dead leader. */
const LEADERSHIP_INTERVAL_MS = 1_000;
/** Time between two looks of the leader at the store for jobs it missed a notification of. */
const REPLICA_RESCAN_MS = 5_000;

/** How long after requests last came in crowds the API still counts as busy. */
const CROWD_MEMORY_MS = 200;

export interface ServerOptions {
  /** Logs, run directories, the audit log, and the SQLite store unless `database` is given. */
  dataDir: string;
  /** Keep jobs in PostgreSQL instead of SQLite. */
  database?: { url: string; poolSize: number };
  nodeId: string;
  nodeIp: string;
  stopGraceMs: number;
  capacity: NodeCapacity;
  startTimeoutMs: number;
  /** Whether jobs may start ahead of a blocked head of the queue (default backfill). */
  queuePolicy?: QueuePolicy;
  /** Largest size of one job's log; older output is dropped beyond it. */
  maxLogBytes: number;
  /** Job wrappers the local executor keeps booted ahead of jobs (default 0). */
  driverPoolSize?: number;
  /** Jobs the local executor starts at the same moment (default: one less than the CPUs). */
  maxConcurrentStarts?: number;
  /** Least time between two local starts while the server is busy (default 1000 ms). */
  busyStartSpacingMs?: number;
  /** Paces local starts instead of `busyStartSpacingMs` (tests give their own). */
  startPace?: StartPace;
  maxBodyBytes: number;
  /** Largest uploaded package (default 512 MiB). */
  maxPackageBytes?: number;
  /** Uploaded packages unused this long are deleted (default a day). */
  packageUnusedMs?: number;
  validateResponses: boolean;
  /** On close, stop running jobs (true) or leave them running for the next server to adopt. */
  stopJobsOnShutdown: boolean;
  /** Finished jobs are deleted this long after they ended; kept until deleted when undefined. */
  retentionMs?: number;
  /** How many of the latest job changes the events stream keeps; all of them when undefined. */
  eventHistory?: number;
  logger: Logger;
  /** Environment drivers start from. */
  driverEnv: NodeJS.ProcessEnv;
  /** Directory drivers start in. */
  driverCwd: string;
  shell?: string;
  /** No tokens: no authentication (the configuration allows that on loopback only). */
  apiTokens?: readonly ApiToken[];
  allowedOrigins?: readonly string[];
  /** Requests per minute per token; 0 for no limit. */
  rateLimitPerMinute?: number;
  /** Failed authentications per minute per remote address; 0 for no limit. */
  authFailuresPerMinute?: number;
  allowUnauthenticatedRemote?: boolean;
  limits?: SubmissionLimits;
  /** The OS user jobs run as; the server's own when undefined. */
  runAs?: RunAsUser;
  /** Time between two integrity checks of the store. */
  storeCheckIntervalMs?: number;
  /** Most log and event streams open at once. */
  maxLogStreams?: number;
  /** Most log reads in progress at once. */
  maxConcurrentLogReads?: number;
  /** Run jobs on this Slurm cluster instead of as processes on this machine. */
  slurm?: SlurmSettings;
}

export interface OpenServer {
  app: Express;
  /** What the probes answer from, for a listener of their own (see http/probeApp.ts). */
  operations: OperationsDeps;
  executor: JobExecutor;
  metrics: JobsMetrics;
  /** Stops or releases every running job (see stopJobsOnShutdown), then closes the store. */
  close(): Promise<void>;
}

/** The variables that are set, as strings (what a job's environment is built from). */
function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Several servers share the store: jobs run on Slurm and are kept in PostgreSQL. */
function isReplicated(options: ServerOptions): boolean {
  return options.database !== undefined && options.slurm !== undefined;
}

/**
 * The store the options choose. Jobs on this machine are this server's alone, so one server at a
 * time may use a PostgreSQL database (exclusive), as one at a time may use a data dir; Slurm
 * jobs can be followed from any server, so replicas share the database.
 */
function openJobStore(options: ServerOptions): Promise<JobStore> {
  if (options.database === undefined) {
    return Promise.resolve(new SqliteJobStore(join(options.dataDir, 'jobs.sqlite')));
  }
  return PostgresJobStore.open({
    ...options.database,
    exclusive: !isReplicated(options),
    onConnectionError: (error) => {
      options.logger.warn({ err: error }, 'job database connection failed');
    },
    fillEvents: {
      filled: (jobs, elapsedMs) => {
        options.logger.info(
          { jobs, elapsedMs: Math.round(elapsedMs) },
          'kept the list texts of the jobs that ended before the upgrade',
        );
      },
      failed: (error) => {
        options.logger.warn(
          { err: error },
          'keeping the list texts of ended jobs failed; retrying',
        );
      },
    },
  });
}

/** Wires store, logs, runner, service and HTTP app over one data dir. */
export async function openServer(options: ServerOptions): Promise<OpenServer> {
  makeDataDirPrivate(options.dataDir);
  // Jobs running as another user pass through the data dir to their own directory.
  if (options.runAs !== undefined) chmodSync(options.dataDir, 0o711);
  const unlock = lockDataDir(options.dataDir);
  let backend: JobStore;
  try {
    backend = await openJobStore(options);
  } catch (error) {
    unlock();
    throw error;
  }
  const metrics = new JobsMetrics(() => backend.countByStatus());
  const retrying = new RetryingJobStore(backend, options.logger);
  const store = new MeasuredJobStore(retrying, metrics);
  const integrity = new StoreIntegrityWatch(
    store,
    options.logger,
    options.storeCheckIntervalMs ?? STORE_CHECK_INTERVAL_MS,
  );
  integrity.start();
  // Slurm jobs write their logs where the nodes see them.
  const logsRoot = options.slurm?.sharedDir ?? options.dataDir;
  const logs = new JobLogs(logsRoot);
  const auditLog = new AuditLog(join(options.dataDir, 'audit.log'));
  const lifecycle = new JobLifecycle(store, logs, options.logger);
  // Job starts give way to a crowd of requests (a burst of submissions) for this long after it.
  const crowding = new RequestCrowding();
  // Containment (cgroups or process groups) is the local executor's: Slurm contains its own jobs.
  let processes: JobProcesses | undefined;
  // With Slurm, in the shared dir: the server that starts a job (the leader, with replicas) may
  // not be the one a package was uploaded to.
  const packages = new PackageStore(
    join(logsRoot, 'packages'),
    options.maxPackageBytes ?? DEFAULT_MAX_PACKAGE_BYTES,
  );
  const localExecutor = () => {
    processes = new JobProcesses(options.dataDir);
    options.logger.info({ containment: processes.mechanism }, 'jobs are contained by this');
    return new LocalExecutor({
      events: lifecycle,
      logs,
      runFiles: new JobRunFiles(options.dataDir, { traversable: options.runAs !== undefined }),
      processes,
      logger: options.logger,
      nodeIp: options.nodeIp,
      nodeId: options.nodeId,
      stopGraceMs: options.stopGraceMs,
      pool: new ResourcePool(options.capacity),
      startTimeoutMs: options.startTimeoutMs,
      queuePolicy: options.queuePolicy,
      maxLogBytes: options.maxLogBytes,
      driverPoolSize: options.driverPoolSize,
      maxConcurrentStarts: options.maxConcurrentStarts,
      busyStartSpacingMs: options.busyStartSpacingMs,
      startPace: options.startPace,
      serverBusy: () => crowding.crowdedWithin(CROWD_MEMORY_MS),
      baseEnv: options.driverEnv,
      cwd: options.driverCwd,
      shell: options.shell,
      runAs: options.runAs,
      packagesDir: packages.dir,
    });
  };
  const { slurm } = options;
  const slurmExecutor = (settings: SlurmSettings) =>
    createSlurmExecutor({
      settings,
      events: lifecycle,
      logger: options.logger,
      stopGraceMs: options.stopGraceMs,
      startTimeoutMs: options.startTimeoutMs,
      baseEnv: stringEnv(options.driverEnv),
      maxLogBytes: options.maxLogBytes,
      packagesDir: packages.dir,
      path: options.driverEnv.PATH ?? '/usr/bin:/bin',
      onCommand: metrics.slurmCommandCompleted,
    });
  // Replicas: the leader submits and follows every job (a task that starts and stops with leadership).
  const replicated =
    slurm !== undefined && isReplicated(options)
      ? new ReplicatedSlurmExecutor({
          create: () => slurmExecutor(slurm),
          store,
          logger: options.logger,
          rescanMs: REPLICA_RESCAN_MS,
        })
      : undefined;
  const executor: JobExecutor =
    replicated ?? (slurm === undefined ? localExecutor() : slurmExecutor(slurm));
  await executor.recover(await store.listActive());
  const jobs = new JobService({
    store,
    executor,
    lifecycle,
    logs,
    nodeId: options.nodeId,
    limits: options.limits ?? defaultSubmissionLimits,
  });
  const retention =
    options.retentionMs === undefined
      ? undefined
      : new RetentionSweeper({
          store,
          jobs,
          logger: options.logger,
          retentionMs: options.retentionMs,
        });
  const eventPruner =
    options.eventHistory === undefined
      ? undefined
      : new EventLogPruner({
          queries: store.queries,
          keep: options.eventHistory,
          logger: options.logger,
        });
  const packageSweeper = new PackageSweeper(
    packages,
    options.packageUnusedMs ?? DEFAULT_PACKAGE_UNUSED_MS,
    options.logger,
  );
  // Every server may sweep: removing a package is idempotent, and a use marks it fresh.
  packageSweeper.start();
  // Work on shared state runs on one server at a time.
  const leaderTasks: LeaderTask[] = [];
  if (replicated !== undefined) leaderTasks.push(replicated);
  if (retention !== undefined) {
    leaderTasks.push({
      name: 'retention',
      lead: () => {
        retention.start();
      },
      standDown: () => retention.stop(),
    });
  }
  if (eventPruner !== undefined) {
    leaderTasks.push({
      name: 'event pruning',
      lead: () => {
        eventPruner.start();
      },
      standDown: () => eventPruner.stop(),
    });
  }
  const database = options.database;
  const leadership: Leadership =
    replicated !== undefined && database !== undefined
      ? new PostgresLeadership({
          connection: {
            connectionString: database.url,
            application_name: 'jobs-server',
            connectionTimeoutMillis: 5_000,
          },
          intervalMs: LEADERSHIP_INTERVAL_MS,
          logger: options.logger,
        })
      : new AlwaysLeader();
  const stopLeading = runWhileLeading(leadership, leaderTasks, options.logger, (leading) => {
    metrics.leadershipChanged(leading);
  });
  let closing = false;
  const checkReadiness = createReadinessCheck({
    store,
    integrity,
    logsDir: join(logsRoot, 'logs'),
    executor,
    logger: options.logger,
  });
  const isReady = async () => !closing && (await checkReadiness());
  const operations: OperationsDeps = { metrics, isReady };
  const app = createApp({
    crowding,
    jobs,
    listing: new JobListing(store.queries, serverVersion),
    logger: options.logger,
    serverVersion,
    maxBodyBytes: options.maxBodyBytes,
    packages,
    validateResponses: options.validateResponses,
    access: {
      apiTokens: options.apiTokens ?? [],
      allowedOrigins: options.allowedOrigins ?? [],
      rateLimitPerMinute: options.rateLimitPerMinute ?? 0,
      authFailuresPerMinute: options.authFailuresPerMinute ?? 0,
      allowUnauthenticatedRemote: options.allowUnauthenticatedRemote ?? false,
    },
    auditObservers: [
      (record) => {
        auditLog.record(record);
      },
      metrics.actionAudited,
    ],
    operations,
    maxLogStreams: options.maxLogStreams ?? DEFAULT_MAX_LOG_STREAMS,
    maxConcurrentLogReads: options.maxConcurrentLogReads ?? DEFAULT_MAX_CONCURRENT_LOG_READS,
  });
  return {
    app,
    operations,
    executor,
    metrics,
    async close() {
      closing = true;
      retrying.stopRetrying();
      await integrity.stop();
      await stopLeading();
      await packageSweeper.stop();
      if (options.stopJobsOnShutdown) {
        await executor.stopAll('Job was stopped because the job server shut down.');
      } else {
        await executor.release();
      }
      await store.close();
      processes?.close();
      auditLog.close();
      unlock();
    },
  };
}
