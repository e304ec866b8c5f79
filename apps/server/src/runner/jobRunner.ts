import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { JobOutcome, JobRecord } from '../jobs/jobRecord.js';
import {
  RuntimeEnvSetupAbortedError,
  RuntimeEnvSetupError,
  driverEnvironment,
  prepareRuntimeEnv,
  runtimeEnvSetupMessage,
  type PreparedRuntimeEnv,
} from '../runtimeEnv/index.js';
import type { JobStore } from '../store/jobStore.js';
import { allocationEnv } from './allocationEnv.js';
import {
  type DriverExit,
  driverOutcome,
  notStartedOutcome,
  startErrorOutcome,
} from './driverOutcome.js';
import type { JobLogs } from './jobLogs.js';
import type { JobRunFiles } from './jobRunFiles.js';
import { isSameProcessAlive, processStartTime, terminateProcessGroup } from './processGroup.js';
import { AdmissionQueue } from './admissionQueue.js';
import { type Allocation, type ResourcePool, describeResources } from './resourcePool.js';

export interface JobRunnerOptions {
  store: JobStore;
  logs: JobLogs;
  runFiles: JobRunFiles;
  logger: Logger;
  /** Address recorded as driver_info.node_ip_address. */
  nodeIp: string;
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
}

/** Same relative path from src/runner and dist/runner. */
const wrapperPath = fileURLToPath(new URL('../../bin/driver-wrapper.mjs', import.meta.url));

export const STOPPED_BY_REQUEST = 'Job was stopped by request.';

interface ActiveJob {
  /** The wrapper's pid, which is also the job's process group id. */
  pid: number | undefined;
  child: ChildProcess | undefined;
  /** The driver has exited; the outcome is being recorded. */
  exited: boolean;
  /** Set once a stop was asked for: the message the job ends with. */
  stopMessage: string | null;
  /** SIGTERM, then SIGKILL after the grace period, to the driver's process group. */
  termination: Promise<void> | undefined;
  /** Aborts the runtime_env setup while it runs. */
  setup: AbortController | undefined;
  /** Set when this server lets go of the job without it having ended (shutdown). */
  released: boolean;
  /** Resolves when the job is released. */
  whenReleased: Promise<'released'>;
  release: () => void;
  done: Promise<void>;
}

function stopMessageOf(entry: ActiveJob): string | null {
  return entry.stopMessage;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs each job's entrypoint under a small wrapper process in a new session (its own process
 * group), stdout and stderr appended to the job's log file, and records every state change in
 * the store. Drivers outlive the server: a restarted server adopts the ones still running and
 * reads how the others ended from what the wrapper recorded.
 */
export class JobRunner {
  private readonly active = new Map<string, ActiveJob>();
  private readonly admissions: AdmissionQueue;
  private readonly shell: string;

  constructor(private readonly options: JobRunnerOptions) {
    this.shell = options.shell ?? '/bin/sh';
    this.admissions = new AdmissionQueue(options.pool);
  }

  /** Starts a PENDING job as soon as the resources it asks for are free, in submission order. */
  start(job: JobRecord): void {
    this.track(job, (entry) => this.schedule(job, entry));
  }

  /**
   * Follows a job whose driver (`job.driverPid`) an earlier server process started and which is
   * still running.
   */
  adopt(job: JobRecord): void {
    this.track(job, (entry) => this.follow(job, entry));
  }

  /** Records the end of a job whose driver is no longer running, from what its wrapper wrote. */
  async settle(job: JobRecord): Promise<void> {
    const outcome = await this.withLogTail(job, this.recordedOutcome(job, job.stopMessage));
    await this.options.store.finish(job.submissionId, outcome);
  }

  /** Starts stopping a job this runner is running. False when it is not running here (any more). */
  async stop(submissionId: string, message = STOPPED_BY_REQUEST): Promise<boolean> {
    const entry = this.active.get(submissionId);
    if (entry === undefined || entry.exited) return false;
    if (entry.stopMessage === null) {
      entry.stopMessage = message;
      await this.options.store.requestStop(submissionId, message);
    }
    entry.setup?.abort();
    if (this.admissions.withdraw(submissionId)) {
      await this.options.store.finish(
        submissionId,
        notStartedOutcome('STOPPED', 'Job was stopped before it started.', ''),
      );
      return true;
    }
    this.terminate(submissionId, entry);
    return true;
  }

  /** Stops every job and waits until each has been recorded as ended. */
  async stopAll(message: string): Promise<void> {
    const entries = [...this.active.entries()];
    await Promise.all(entries.map(([submissionId]) => this.stop(submissionId, message)));
    // `done` includes the SIGKILL escalation: no process of a stopped job outlives this call.
    await Promise.all(entries.map(([, entry]) => entry.done));
  }

  /** Lets go of every running job, leaving its driver running for the next server to adopt. */
  async releaseAll(): Promise<void> {
    const entries = [...this.active.values()];
    // Jobs waiting for resources stay PENDING in the store; the next server starts them.
    this.admissions.withdrawAll();
    for (const entry of entries) {
      entry.release();
      // Interrupted setup leaves the job PENDING: the next server sets it up again.
      entry.setup?.abort();
      entry.child?.removeAllListeners();
      entry.child?.unref();
    }
    await Promise.all(entries.map((entry) => entry.done));
  }

  get runningCount(): number {
    return this.active.size;
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
      child: undefined,
      exited: false,
      stopMessage: job.stopMessage,
      termination: undefined,
      setup: undefined,
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
          'job runner failed to record a job',
        );
      })
      .finally(async () => {
        await entry.termination;
        this.active.delete(job.submissionId);
      });
  }

  private async schedule(job: JobRecord, entry: ActiveJob): Promise<void> {
    const { pool, store } = this.options;
    const unfit = pool.neverFits(job.resources);
    if (unfit !== undefined) {
      await store.finish(
        job.submissionId,
        notStartedOutcome(
          'FAILED',
          `Job can never start on this node: ${unfit}.`,
          'JOB_UNSCHEDULABLE',
        ),
      );
      return;
    }
    const { queued, admission } = this.admissions.admit(
      job.submissionId,
      job.resources,
      job.startTime + this.options.startTimeoutMs,
    );
    if (queued) {
      await store.setPendingMessage(
        job.submissionId,
        `Job is waiting for resources: it needs ${describeResources(job.resources)}.`,
      );
    }
    const admitted = await admission;
    if (admitted.kind === 'timedOut') {
      const seconds = Math.round(this.options.startTimeoutMs / 1000);
      await store.finish(
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

  /** Signals the driver's group once a stop was asked for and the driver exists. */
  private terminate(submissionId: string, entry: ActiveJob): void {
    // Not spawned yet: run() sees stopMessage and never starts the driver.
    if (entry.stopMessage === null || entry.pid === undefined || entry.termination !== undefined) {
      return;
    }
    const pgid = entry.pid;
    entry.termination = terminateProcessGroup(pgid, this.options.stopGraceMs).then(
      (killed) => {
        if (killed) {
          this.options.logger.warn({ submissionId, pgid }, 'job outlived SIGTERM; sent SIGKILL');
        }
      },
      (error: unknown) => {
        this.options.logger.error({ err: error, submissionId, pgid }, 'could not stop job');
      },
    );
  }

  private async run(job: JobRecord, entry: ActiveJob, allocation: Allocation): Promise<void> {
    const { store, logs, runFiles, logger } = this.options;
    const id = job.submissionId;
    if (entry.stopMessage !== null) {
      await store.finish(
        id,
        notStartedOutcome('STOPPED', 'Job was stopped before it started.', ''),
      );
      return;
    }

    let runDir: string;
    let fd: number;
    try {
      runDir = runFiles.prepare(id);
      fd = logs.openForDriver(id);
    } catch (error) {
      await store.finish(id, startErrorOutcome(errorMessage(error)));
      return;
    }
    let child: ChildProcess;
    try {
      const prepared = await this.setUp(job, entry, runDir, fd);
      if (prepared === undefined) return;
      const wrapperArgs = [
        wrapperPath,
        runDir,
        this.shell,
        job.entrypoint,
        logs.pathOf(id),
        String(this.options.maxLogBytes),
      ];
      child = spawn(process.execPath, wrapperArgs, {
        detached: true,
        stdio: ['ignore', fd, fd],
        cwd: prepared.cwd ?? this.options.cwd,
        env: driverEnvironment(
          { ...this.options.baseEnv, ...allocationEnv(job.submissionId, allocation) },
          prepared,
        ),
      });
    } catch (error) {
      await store.finish(id, startErrorOutcome(errorMessage(error)));
      return;
    } finally {
      closeSync(fd);
    }
    const exited = new Promise<DriverExit | Error>((resolve) => {
      child.once('exit', (code, signal) => {
        entry.exited = true;
        resolve({ code, signal });
      });
      child.once('error', (error) => {
        entry.exited = true;
        resolve(error);
      });
    });
    entry.child = child;
    const pid = child.pid;
    if (pid === undefined) {
      await store.finish(id, startErrorOutcome(errorMessage(await exited)));
      return;
    }

    entry.pid = pid;
    await store.markRunning(id, {
      pid,
      startedAt: processStartTime(pid),
      nodeIp: this.options.nodeIp,
      message: 'Job is running.',
    });
    logger.info({ submissionId: id, pid }, 'job started');
    // A stop may have arrived while the job was being recorded as running.
    this.terminate(id, entry);

    const result = await Promise.race([exited, entry.whenReleased]);
    if (result === 'released') return;
    const wrapperExit: DriverExit = result instanceof Error ? { code: null, signal: null } : result;
    await this.finish(job, entry, wrapperExit);
  }

  private async follow(job: JobRecord, entry: ActiveJob): Promise<void> {
    const pid = job.driverPid;
    if (pid === null) throw new Error(`cannot adopt job ${job.submissionId} without a driver pid`);
    // It runs already, whatever is free: account for what it holds until it ends.
    const allocation = this.admissions.holdRegardless(job.resources);
    try {
      await this.followDriver(job, entry, pid);
    } finally {
      this.admissions.release(allocation);
    }
  }

  private async followDriver(job: JobRecord, entry: ActiveJob, pid: number): Promise<void> {
    entry.pid = pid;
    if (job.status === 'PENDING') {
      await this.options.store.markRunning(job.submissionId, {
        pid,
        startedAt: job.driverStartedAt,
        nodeIp: this.options.nodeIp,
        message: 'Job is running.',
      });
    }
    this.terminate(job.submissionId, entry);
    const pollMs = this.options.adoptedPollMs ?? 250;
    while (isSameProcessAlive(pid, job.driverStartedAt)) {
      if (entry.released) return;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    entry.exited = true;
    await this.finish(job, entry, undefined);
  }

  private async finish(
    job: JobRecord,
    entry: ActiveJob,
    wrapperExit: DriverExit | undefined,
  ): Promise<void> {
    const stopMessage = stopMessageOf(entry);
    const outcome = await this.withLogTail(
      job,
      this.recordedOutcome(job, stopMessage, wrapperExit),
    );
    await this.options.store.finish(job.submissionId, outcome);
    this.options.logger.info(
      { submissionId: job.submissionId, status: outcome.status, exitCode: outcome.exitCode },
      'job ended',
    );
  }

  /** The outcome the wrapper recorded, else the wrapper's own exit, else a lost driver. */
  private recordedOutcome(
    job: JobRecord,
    stopMessage: string | null,
    wrapperExit?: DriverExit,
  ): JobOutcome {
    const recorded = this.options.runFiles.readExit(job.submissionId);
    if (recorded?.error !== undefined) return startErrorOutcome(recorded.error);
    const exit = recorded ?? wrapperExit;
    if (exit === undefined) {
      return {
        status: 'FAILED',
        message: `The job's driver (pid ${job.driverPid ?? '?'}) ended while the job server was down, without recording its exit status.`,
        exitCode: null,
        errorType: 'JOB_DRIVER_LOST',
        endTime: Date.now(),
      };
    }
    return driverOutcome(exit, stopMessage, recorded?.endTime ?? Date.now());
  }

  private async withLogTail(job: JobRecord, outcome: JobOutcome): Promise<JobOutcome> {
    if (outcome.errorType !== 'JOB_ENTRYPOINT_COMMAND_ERROR') return outcome;
    const tail = await this.options.logs.tail(job.submissionId);
    return tail === ''
      ? outcome
      : { ...outcome, message: `${outcome.message} Last lines of its log:\n${tail}` };
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
    const { store } = this.options;
    const id = job.submissionId;
    const runtimeEnv = job.runtimeEnv;
    if ('working_dir' in runtimeEnv || 'pip' in runtimeEnv) {
      await store.setPendingMessage(id, runtimeEnvSetupMessage(runtimeEnv));
    }
    entry.setup = new AbortController();
    try {
      return await prepareRuntimeEnv({
        runtimeEnv,
        jobDir,
        baseEnv: this.options.baseEnv,
        logFd,
        signal: entry.setup.signal,
        killGraceMs: this.options.stopGraceMs,
      });
    } catch (error) {
      if (entry.released) return undefined;
      if (error instanceof RuntimeEnvSetupAbortedError) {
        await store.finish(
          id,
          notStartedOutcome('STOPPED', stopMessageOf(entry) ?? STOPPED_BY_REQUEST, ''),
        );
        return undefined;
      }
      if (!(error instanceof RuntimeEnvSetupError)) throw error;
      const tail = await this.options.logs.tail(id);
      const reason = `Job's runtime environment could not be set up: ${error.message}.`;
      await store.finish(
        id,
        notStartedOutcome(
          'FAILED',
          tail === '' ? reason : `${reason} Last lines of its log:\n${tail}`,
          'RUNTIME_ENV_SETUP_FAILURE',
        ),
      );
      return undefined;
    } finally {
      entry.setup = undefined;
    }
  }
}
