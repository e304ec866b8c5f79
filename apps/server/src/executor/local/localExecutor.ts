import { closeSync, constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import {
  type DriverExit,
  driverOutcome,
  notStartedOutcome,
  setupFailedOutcome,
  startErrorOutcome,
} from '../../domain/jobOutcomes.js';
import type { JobDriver, JobOutcome, JobRecord } from '../../domain/jobRecord.js';
import type { JobLogs } from '../../logs/jobLogs.js';
import {
  RuntimeEnvSetupAbortedError,
  RuntimeEnvSetupError,
  runtimeEnvSetupMessage,
} from '../../runtimeEnv/index.js';
import type { RunAsUser } from '../jobBaseEnvironment.js';
import type { JobEvents, JobExecutor } from '../jobExecutor.js';
import { STOPPED_BY_REQUEST } from '../jobLifecycle.js';
import { AdmissionQueue, type QueuePolicy } from './admissionQueue.js';
import { allocationEnv } from './allocationEnv.js';
import type { JobRunFiles } from './jobRunFiles.js';
import { localDriver, parseLocalDriverRef } from './localDriver.js';
import {
  type PreparedRuntimeEnv,
  driverEnvironment,
  prepareRuntimeEnv,
} from './prepareRuntimeEnv.js';
import { type JobProcesses, RUN_TOKEN_VARIABLE } from './jobProcesses.js';
import { isSameProcessAlive } from '../../process/processIdentity.js';
import { type Allocation, type ResourcePool, describeResources } from './resourcePool.js';
import { type LeaveGate, StartGate, type StartPace } from './startGate.js';
import { BusyStartPace } from './busyStartPace.js';
import { DriverSpawner, type SpawnedDriver } from './driverSpawner.js';

/**
 * Least time between two starts while the server is busy. On 2 cores, 16 connections submitting
 * `true` got 234 submissions/s answered with every job started as soon as a slot was free, and
 * 887-1,134/s with one start a second (bench/README.md); about 1,100/s when no job starts.
 */
const DEFAULT_BUSY_START_SPACING_MS = 1000;

export interface LocalExecutorOptions {
  /** Where state changes are reported. */
  events: JobEvents;
  logs: JobLogs;
  runFiles: JobRunFiles;
  /** Finds and ends everything a job started. */
  processes: JobProcesses;
  logger: Logger;
  /** Address recorded as driver_info.node_ip_address. */
  nodeIp: string;
  /** This node's id, recorded as driver_node_id. */
  nodeId: string;
  /** Time between SIGTERM and SIGKILL when stopping a job. */
  stopGraceMs: number;
  /** Environment every driver starts from, before runtime_env.env_vars. */
  baseEnv: NodeJS.ProcessEnv;
  /** Directory drivers start in. */
  cwd: string;
  /** Shell that runs entrypoints (`<shell> -c <entrypoint>`). */
  shell?: string;
  /** What this node can give jobs; jobs wait (PENDING) until what they ask for is free. */
  pool: ResourcePool;
  /** Each job's log is kept under this size by dropping its oldest output. */
  maxLogBytes: number;
  /** A job still PENDING this long after it was accepted fails with JOB_START_TIMEOUT. */
  startTimeoutMs: number;
  /** How often an adopted driver (not a child of this process) is checked for its end. */
  adoptedPollMs?: number;
  /** Whether jobs may start ahead of a blocked head of the queue (default backfill). */
  queuePolicy?: QueuePolicy;
  /** Driver wrappers kept booted ahead of jobs once the first job started (default 0). */
  driverPoolSize?: number;
  /**
   * Most jobs whose drivers start at the same moment (the rest wait their turn). Default: one
   * less than the CPUs, at least 1: a start boots a Node wrapper, about 100 ms of a core, and
   * with every core starting jobs a burst of submissions left the API a fraction of one.
   */
  maxConcurrentStarts?: number;
  /**
   * Least time between two starts while `serverBusy` says so (see BusyStartPace); 0 lets jobs
   * start as fast as `maxConcurrentStarts` allows. Default 1000.
   */
  busyStartSpacingMs?: number;
  /** Whether the server is busy answering requests now; never, when not given. */
  serverBusy?: () => boolean;
  /** Paces starts instead of the default (tests give their own). */
  startPace?: StartPace;
  /**
   * The OS user jobs and their setup run as (the server must be root). Their directory is then
   * `<run dir>/job`, theirs, and their default working directory.
   */
  runAs?: RunAsUser;
  /** Where uploaded packages (`gcs://` working_dir) are stored. */
  packagesDir?: string;
}

interface ActiveJob {
  /** The wrapper's pid, which is also the job's process group id. */
  pid: number | undefined;
  driver: SpawnedDriver | undefined;
  /** The driver has exited; the outcome is being recorded. */
  exited: boolean;
  /** Set once a stop was asked for: the message the job ends with. */
  stopMessage: string | null;
  /** SIGTERM, then SIGKILL after the grace period, to the driver's process group. */
  termination: Promise<void> | undefined;
  /**
   * Aborted once a stop is asked for or the server lets go of the job: ends its wait for a turn
   * to start, and its runtime_env setup.
   */
  cancel: AbortController;
  /** Set when this server lets go of the job without it having ended (shutdown). */
  released: boolean;
  /** Resolves when the job is released. */
  whenReleased: Promise<'released'>;
  release: () => void;
  done: Promise<void>;
}

/** Whether a stop was asked for (read through a call: it can change while a start waits). */
function stopAsked(entry: ActiveJob): boolean {
  return entry.stopMessage !== null;
}

/** Whether setting up the job's runtime_env fetches or installs something (it can take minutes). */
function downloadsOrInstalls(runtimeEnv: JobRecord['runtimeEnv']): boolean {
  return 'working_dir' in runtimeEnv || 'pip' in runtimeEnv;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs each job's entrypoint on this machine, under a small wrapper process in a new session
 * (its own process group), stdout and stderr appended to the job's log file. Drivers outlive
 * the server: a restarted server follows the ones still running and reads how the others
 * ended from what the wrapper recorded in the job's run directory.
 */
export class LocalExecutor implements JobExecutor {
  private readonly active = new Map<string, ActiveJob>();
  private readonly admissions: AdmissionQueue;
  private readonly shell: string;
  private readonly starts: StartGate;
  private readonly spawner: DriverSpawner;

  constructor(private readonly options: LocalExecutorOptions) {
    this.shell = options.shell ?? '/bin/sh';
    const startLimit = options.maxConcurrentStarts ?? Math.max(1, availableParallelism() - 1);
    const spacingMs = options.busyStartSpacingMs ?? DEFAULT_BUSY_START_SPACING_MS;
    const busy = options.serverBusy;
    this.starts = new StartGate(
      startLimit,
      options.startPace ??
        (spacingMs === 0 || busy === undefined
          ? undefined
          : new BusyStartPace({ busy, spacingMs })),
    );
    this.spawner = new DriverSpawner({
      poolSize: options.driverPoolSize ?? 0,
      maxBooting: startLimit,
      // Only where to find programs: a wrapper is Node, and variables such as NODE_OPTIONS would
      // configure it (it keeps rights its job has not), so none comes from a job or the operator.
      wrapperEnv: { PATH: options.baseEnv.PATH },
    });
    this.admissions = new AdmissionQueue(
      options.pool,
      options.queuePolicy ?? 'backfill',
      (submissionId, message) => {
        options.events.waiting(submissionId, message).catch((error: unknown) => {
          options.logger.error({ err: error, submissionId }, 'could not record why a job waits');
        });
      },
    );
  }

  start(job: JobRecord): void {
    this.track(job, (entry) => this.schedule(job, entry));
  }

  async stop(job: JobRecord, message: string): Promise<boolean> {
    const entry = this.active.get(job.submissionId);
    if (entry === undefined || entry.exited) return false;
    await this.stopEntry(job.submissionId, entry, message);
    return true;
  }

  async recover(jobs: readonly JobRecord[]): Promise<void> {
    const { logger, runFiles } = this.options;
    for (const job of jobs) {
      const id = job.submissionId;
      // A job can have been spawned but not yet recorded RUNNING when the server died.
      const driver =
        job.driver !== null ? parseLocalDriverRef(job.driver.ref) : runFiles.readDriver(id);
      if (driver === undefined) {
        logger.info({ submissionId: id }, 'starting a job accepted before the restart');
        // Setup commands the earlier server left running would otherwise run twice.
        await this.options.processes.terminate(id, this.options.stopGraceMs, undefined, true);
        this.start(job);
      } else if (isSameProcessAlive(driver.pid, driver.startedAt)) {
        logger.info({ submissionId: id, pid: driver.pid }, 'following a running job again');
        this.track(job, (entry) => this.follow(job, entry, driver));
      } else {
        const outcome = this.recordedOutcome(id, job.stopMessage, driver.pid);
        await this.options.events.ended(id, outcome);
        await this.endLeftovers(id);
        logger.info(
          { submissionId: id },
          'recorded the end of a job that finished during the restart',
        );
      }
    }
  }

  async stopAll(message: string): Promise<void> {
    const entries = [...this.active.entries()].filter(([, entry]) => !entry.exited);
    await Promise.all(entries.map(([id, entry]) => this.stopEntry(id, entry, message)));
    // `done` includes the SIGKILL escalation: no process of a stopped job outlives this call.
    await Promise.all(entries.map(([, entry]) => entry.done));
    await this.spawner.close();
  }

  async release(): Promise<void> {
    const entries = [...this.active.values()];
    // Jobs waiting for resources stay PENDING in the store; the next server starts them.
    this.admissions.withdrawAll();
    for (const entry of entries) {
      entry.release();
      // Interrupted setup leaves the job PENDING: the next server sets it up again.
      entry.cancel.abort();
      entry.driver?.release();
    }
    await Promise.all(entries.map((entry) => entry.done));
    await this.spawner.close();
  }

  async notReadyReason(): Promise<string | undefined> {
    try {
      await access(this.shell, constants.X_OK);
      return undefined;
    } catch (error) {
      return `cannot run the shell ${this.shell}: ${errorMessage(error)}`;
    }
  }

  remove(submissionId: string): Promise<void> {
    this.options.processes.release(submissionId);
    this.options.runFiles.remove(submissionId);
    return Promise.resolve();
  }

  get activeCount(): number {
    return this.active.size;
  }

  private async stopEntry(submissionId: string, entry: ActiveJob, message: string): Promise<void> {
    entry.stopMessage ??= message;
    entry.cancel.abort();
    if (this.admissions.withdraw(submissionId)) {
      await this.options.events.ended(
        submissionId,
        notStartedOutcome('STOPPED', 'Job was stopped before it started.', ''),
      );
      return;
    }
    this.terminate(submissionId, entry);
  }

  private track(job: JobRecord, body: (entry: ActiveJob) => Promise<void>): void {
    let release = () => {};
    const whenReleased = new Promise<'released'>((resolve) => {
      release = () => {
        entry.released = true;
        resolve('released');
      };
    });
    const entry: ActiveJob = {
      pid: undefined,
      driver: undefined,
      exited: false,
      stopMessage: job.stopMessage,
      termination: undefined,
      cancel: new AbortController(),
      released: false,
      whenReleased,
      release,
      done: Promise.resolve(),
    };
    this.active.set(job.submissionId, entry);
    entry.done = body(entry)
      .catch((error: unknown) => {
        this.options.logger.error(
          { err: error, submissionId: job.submissionId },
          'local executor failed to record a job',
        );
      })
      .finally(async () => {
        await entry.termination;
        this.active.delete(job.submissionId);
      });
  }

  private async schedule(job: JobRecord, entry: ActiveJob): Promise<void> {
    const { pool, events } = this.options;
    const unfit = pool.neverFits(job.resources);
    if (unfit !== undefined) {
      await events.ended(
        job.submissionId,
        notStartedOutcome(
          'FAILED',
          `Job can never start on this node: ${unfit}.`,
          'JOB_UNSCHEDULABLE',
        ),
      );
      return;
    }
    const admitted = await this.admissions.admit(
      job.submissionId,
      job.resources,
      job.startTime + this.options.startTimeoutMs,
    );
    if (admitted.kind === 'timedOut') {
      const seconds = Math.round(this.options.startTimeoutMs / 1000);
      await events.ended(
        job.submissionId,
        notStartedOutcome(
          'FAILED',
          `Job did not get the resources it needs (${describeResources(job.resources)}) within the start timeout of ${seconds} s.`,
          'JOB_START_TIMEOUT',
        ),
      );
    }
    // Withdrawn: stopped (recorded by stop()) or left PENDING for the next server.
    if (admitted.kind !== 'admitted') return;
    try {
      await this.run(job, entry, admitted.allocation);
    } finally {
      this.admissions.release(admitted.allocation);
    }
  }

  /** Ends everything of the job once a stop was asked for and the driver exists. */
  private terminate(submissionId: string, entry: ActiveJob): void {
    // Not spawned yet: run() sees stopMessage and never starts the driver.
    if (entry.stopMessage === null || entry.pid === undefined || entry.termination !== undefined) {
      return;
    }
    entry.termination = this.endProcesses(submissionId, entry.pid);
  }

  /** SIGTERM, then SIGKILL after the grace period, to every process of the job. */
  private async endProcesses(submissionId: string, pgid?: number): Promise<void> {
    try {
      const killed = await this.options.processes.terminate(
        submissionId,
        this.options.stopGraceMs,
        pgid,
      );
      if (killed) {
        this.options.logger.warn({ submissionId, pgid }, 'job outlived SIGTERM; sent SIGKILL');
      }
    } catch (error) {
      this.options.logger.error({ err: error, submissionId, pgid }, 'could not stop job');
    }
  }

  /** What a job left running when its driver ended goes with it. */
  private async endLeftovers(submissionId: string): Promise<void> {
    await this.endProcesses(submissionId);
    this.options.processes.release(submissionId);
  }

  private async run(job: JobRecord, entry: ActiveJob, allocation: Allocation): Promise<void> {
    const { events, logs, runFiles } = this.options;
    const id = job.submissionId;
    // Nothing of a job is written before its turn: a storm of submissions costs the API its
    // inserts alone, and the jobs waiting their turn hold no file open.
    let leave = await this.turnToStart(job, entry);
    if (leave === undefined) return;

    let runDir: string;
    let fd: number;
    try {
      runDir = runFiles.prepare(id);
      fd = logs.openForDriver(id);
    } catch (error) {
      leave();
      await events.ended(id, startErrorOutcome(errorMessage(error)));
      return;
    }
    let driver: SpawnedDriver;
    const { runAs } = this.options;
    try {
      const jobDir = runAs === undefined ? runDir : join(runDir, 'job');
      // A download or a pip install can take minutes: it gives up its turn meanwhile.
      const slowSetup = downloadsOrInstalls(job.runtimeEnv);
      if (slowSetup) leave();
      const prepared = await this.setUp(job, entry, jobDir, fd);
      if (prepared === undefined) {
        leave();
        return;
      }
      if (slowSetup) {
        const turn = await this.turnToStart(job, entry);
        if (turn === undefined) return;
        leave = turn;
      }
      const cgroup = this.options.processes.cgroupFor(id);
      const wrapperArgs = [
        runDir,
        this.shell,
        job.entrypoint,
        logs.pathOf(id),
        String(this.options.maxLogBytes),
        ...(runAs === undefined ? [] : ['--uid', String(runAs.uid), '--gid', String(runAs.gid)]),
        ...(cgroup === undefined ? [] : ['--cgroup', cgroup]),
        '--ready-fd',
        '3',
      ];
      driver = await this.spawner.spawn({
        args: wrapperArgs,
        logFd: fd,
        cwd: prepared.cwd ?? (runAs === undefined ? this.options.cwd : jobDir),
        env: driverEnvironment(
          {
            ...this.baseEnvOf(id),
            ...allocationEnv(job.submissionId, allocation),
          },
          prepared,
        ),
      });
    } catch (error) {
      leave();
      await events.ended(id, startErrorOutcome(errorMessage(error)));
      return;
    } finally {
      closeSync(fd);
    }
    void driver.started.then(leave);
    const exited = driver.exited.then((result) => {
      entry.exited = true;
      return result;
    });
    entry.driver = driver;
    const pid = driver.pid;
    if (pid === undefined) {
      await events.ended(id, startErrorOutcome(errorMessage(await exited)));
      return;
    }

    entry.pid = pid;
    await events.running(id, this.driverOf(job, pid, driver.startedAt));
    // A stop may have arrived while the job was being recorded as running.
    this.terminate(id, entry);

    const result = await Promise.race([exited, entry.whenReleased]);
    if (result === 'released') return;
    const wrapperExit: DriverExit = result instanceof Error ? { code: null, signal: null } : result;
    await this.finish(job, entry, pid, wrapperExit);
  }

  /**
   * Waits for the job's turn to start (see StartGate). Undefined when it will not start here:
   * the server let go of it (it stays PENDING for the next one), or a stop came (recorded).
   */
  private async turnToStart(job: JobRecord, entry: ActiveJob): Promise<LeaveGate | undefined> {
    const leave = await this.starts.enter(entry.cancel.signal);
    if (leave !== undefined && !entry.released && !stopAsked(entry)) return leave;
    leave?.();
    if (!entry.released) {
      await this.options.events.ended(
        job.submissionId,
        notStartedOutcome('STOPPED', 'Job was stopped before it started.', ''),
      );
    }
    return undefined;
  }

  /** The environment the job's processes start from, marked with its run token. */
  private baseEnvOf(submissionId: string): NodeJS.ProcessEnv {
    return {
      ...this.options.baseEnv,
      [RUN_TOKEN_VARIABLE]: this.options.processes.token(submissionId),
    };
  }

  private driverOf(job: JobRecord, pid: number, startedAt: string | null): JobDriver {
    return localDriver(job.submissionId, { pid, startedAt }, this.options);
  }

  private async follow(
    job: JobRecord,
    entry: ActiveJob,
    driver: { pid: number; startedAt: string | null },
  ): Promise<void> {
    // It runs already, whatever is free: account for what it holds until it ends.
    const allocation = this.admissions.holdRegardless(job.resources);
    try {
      entry.pid = driver.pid;
      if (job.status === 'PENDING') {
        await this.options.events.running(
          job.submissionId,
          this.driverOf(job, driver.pid, driver.startedAt),
        );
      }
      this.terminate(job.submissionId, entry);
      const pollMs = this.options.adoptedPollMs ?? 250;
      while (isSameProcessAlive(driver.pid, driver.startedAt)) {
        if (entry.released) return;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
      entry.exited = true;
      await this.finish(job, entry, driver.pid, undefined);
    } finally {
      this.admissions.release(allocation);
    }
  }

  private async finish(
    job: JobRecord,
    entry: ActiveJob,
    pid: number,
    wrapperExit: DriverExit | undefined,
  ): Promise<void> {
    const outcome = this.recordedOutcome(job.submissionId, entry.stopMessage, pid, wrapperExit);
    await this.options.events.ended(job.submissionId, outcome);
    const stopping = entry.termination;
    entry.termination =
      stopping === undefined
        ? this.endLeftovers(job.submissionId)
        : stopping.then(() => this.endLeftovers(job.submissionId));
  }

  /** The outcome the wrapper recorded, else the wrapper's own exit, else a lost driver. */
  private recordedOutcome(
    submissionId: string,
    stopMessage: string | null,
    pid: number,
    wrapperExit?: DriverExit,
  ): JobOutcome {
    const recorded = this.options.runFiles.readExit(submissionId);
    if (recorded?.error !== undefined) return startErrorOutcome(recorded.error);
    const exit = recorded ?? wrapperExit;
    if (exit === undefined) {
      return {
        status: 'FAILED',
        message: `The job's driver (pid ${String(pid)}) ended while the job server was down, without recording its exit status.`,
        exitCode: null,
        errorType: 'JOB_DRIVER_LOST',
        endTime: Date.now(),
      };
    }
    return driverOutcome(exit, stopMessage, recorded?.endTime ?? Date.now());
  }

  /**
   * Prepares runtime_env (variables, working_dir, pip) while the job stays PENDING. Undefined
   * when the job ended here (setup failed or was stopped) or the server let go of it.
   */
  private async setUp(
    job: JobRecord,
    entry: ActiveJob,
    jobDir: string,
    logFd: number,
  ): Promise<PreparedRuntimeEnv | undefined> {
    const { events } = this.options;
    const id = job.submissionId;
    const runtimeEnv = job.runtimeEnv;
    if (downloadsOrInstalls(runtimeEnv)) {
      await events.waiting(id, runtimeEnvSetupMessage(runtimeEnv));
    }
    try {
      return await prepareRuntimeEnv({
        runtimeEnv,
        jobDir,
        baseEnv: this.baseEnvOf(id),
        logFd,
        signal: entry.cancel.signal,
        killGraceMs: this.options.stopGraceMs,
        runAs: this.options.runAs,
        packagesDir: this.options.packagesDir,
      });
    } catch (error) {
      if (entry.released) return undefined;
      if (error instanceof RuntimeEnvSetupAbortedError) {
        await events.ended(
          id,
          notStartedOutcome('STOPPED', entry.stopMessage ?? STOPPED_BY_REQUEST, ''),
        );
        return undefined;
      }
      if (!(error instanceof RuntimeEnvSetupError)) throw error;
      await events.ended(id, setupFailedOutcome(error.message));
      return undefined;
    }
  }
}
