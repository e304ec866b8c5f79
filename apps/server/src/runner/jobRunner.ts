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
import { type DriverExit, driverOutcome } from './driverOutcome.js';
import type { JobLogs } from './jobLogs.js';
import type { JobRunFiles } from './jobRunFiles.js';
import { isSameProcessAlive, processStartTime, terminateProcessGroup } from './processGroup.js';
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

/** A job waiting in line for resources. */
interface QueuedJob {
  job: JobRecord;
  entry: ActiveJob;
  /** Hands the job its resources, or undefined when it leaves the line without them. */
  resolve: (allocation: Allocation | undefined) => void;
  timer: NodeJS.Timeout;
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
  /** Jobs waiting for resources, in submission order: only the head may start. */
  private readonly queue: QueuedJob[] = [];
  private readonly shell: string;

  constructor(private readonly options: JobRunnerOptions) {
    this.shell = options.shell ?? '/bin/sh';
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
    const queued = this.queue.find((waiter) => waiter.entry === entry);
    if (queued) {
      this.leaveQueue(queued);
      await this.options.store.finish(
        submissionId,
        this.notStarted('STOPPED', 'Job was stopped before it started.', ''),
      );
      queued.resolve(undefined);
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
    for (const waiter of [...this.queue]) {
      this.leaveQueue(waiter);
      waiter.resolve(undefined);
    }
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
        this.notStarted(
          'FAILED',
          `Job can never start on this node: ${unfit}.`,
          'JOB_UNSCHEDULABLE',
        ),
      );
      return;
    }
    const allocation = await this.waitForResources(job, entry);
    if (allocation === undefined) return;
    try {
      await this.run(job, entry, allocation);
    } finally {
      pool.release(allocation);
      this.startQueuedJobs();
    }
  }

  private async waitForResources(
    job: JobRecord,
    entry: ActiveJob,
  ): Promise<Allocation | undefined> {
    if (this.queue.length === 0) {
      const allocation = this.options.pool.tryAcquire(job.resources);
      if (allocation) return allocation;
    }
    const waiting = new Promise<Allocation | undefined>((resolve) => {
      const deadline = job.startTime + this.options.startTimeoutMs;
      const waiter: QueuedJob = {
        job,
        entry,
        resolve,
        timer: setTimeout(() => void this.timeOut(waiter), Math.max(0, deadline - Date.now())),
      };
      this.queue.push(waiter);
    });
    await this.options.store.setPendingMessage(
      job.submissionId,
      `Job is waiting for resources: it needs ${describeResources(job.resources)}.`,
    );
    return waiting;
  }

  /** Hands resources to the jobs at the head of the line while they fit. */
  private startQueuedJobs(): void {
    for (let head = this.queue[0]; head !== undefined; head = this.queue[0]) {
      const allocation = this.options.pool.tryAcquire(head.job.resources);
      if (allocation === undefined) return;
      this.leaveQueue(head);
      head.resolve(allocation);
    }
  }

  private leaveQueue(waiter: QueuedJob): void {
    clearTimeout(waiter.timer);
    const index = this.queue.indexOf(waiter);
    if (index >= 0) this.queue.splice(index, 1);
  }

  private async timeOut(waiter: QueuedJob): Promise<void> {
    this.leaveQueue(waiter);
    const seconds = Math.round(this.options.startTimeoutMs / 1000);
    try {
      await this.options.store.finish(
        waiter.job.submissionId,
        this.notStarted(
          'FAILED',
          `Job did not get the resources it needs (${describeResources(waiter.job.resources)}) within the start timeout of ${seconds} s.`,
          'JOB_START_TIMEOUT',
        ),
      );
    } finally {
      waiter.resolve(undefined);
      // The head may have been what blocked the jobs behind it.
      this.startQueuedJobs();
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
      await store.finish(id, this.notStarted('STOPPED', 'Job was stopped before it started.', ''));
      return;
    }

    let runDir: string;
    let fd: number;
    try {
      runDir = runFiles.prepare(id);
      fd = logs.openForDriver(id);
    } catch (error) {
      await store.finish(id, this.startError(errorMessage(error)));
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
        env: driverEnvironment(this.driverBaseEnv(job, allocation), prepared),
      });
    } catch (error) {
      await store.finish(id, this.startError(errorMessage(error)));
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
      await store.finish(id, this.startError(errorMessage(await exited)));
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
    const allocation = this.options.pool.acquireRegardless(job.resources);
    try {
      await this.followDriver(job, entry, pid);
    } finally {
      this.options.pool.release(allocation);
      this.startQueuedJobs();
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
    if (recorded?.error !== undefined) return this.startError(recorded.error);
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
          this.notStarted('STOPPED', stopMessageOf(entry) ?? STOPPED_BY_REQUEST, ''),
        );
        return undefined;
      }
      if (!(error instanceof RuntimeEnvSetupError)) throw error;
      const tail = await this.options.logs.tail(id);
      const reason = `Job's runtime environment could not be set up: ${error.message}.`;
      await store.finish(
        id,
        this.notStarted(
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

  /** The server's environment plus what the job was given; runtime_env's variables go on top. */
  private driverBaseEnv(job: JobRecord, allocation: Allocation): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...this.options.baseEnv,
      JOBS_SUBMISSION_ID: job.submissionId,
      // What the job was given, so it can size its thread pools and pick its devices.
      JOBS_NUM_CPUS: String(allocation.cpus),
      JOBS_NUM_GPUS: String(allocation.gpuIndices.length),
      JOBS_MEMORY_BYTES: String(allocation.memoryBytes),
      JOBS_RESOURCES: JSON.stringify(allocation.custom),
    };
    if (allocation.gpuIndices.length > 0) {
      env.CUDA_VISIBLE_DEVICES = allocation.gpuIndices.join(',');
    }
    return env;
  }

  private startError(reason: string): JobOutcome {
    return this.notStarted(
      'FAILED',
      `Job could not start its entrypoint: ${reason}.`,
      'JOB_ENTRYPOINT_COMMAND_START_ERROR',
    );
  }

  private notStarted(
    status: JobOutcome['status'],
    message: string,
    errorType: JobOutcome['errorType'],
  ): JobOutcome {
    return { status, message, exitCode: null, errorType, endTime: Date.now() };
  }
}
