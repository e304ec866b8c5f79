import { spawn } from 'node:child_process';
import { closeSync } from 'node:fs';
import { RuntimeEnvSchema } from '@jobs/contract';
import type { Logger } from 'pino';
import type { JobOutcome, JobRecord } from '../jobs/jobRecord.js';
import type { JobStore } from '../store/jobStore.js';
import { type DriverExit, driverOutcome } from './driverOutcome.js';
import type { JobLogs } from './jobLogs.js';
import { processStartTime, terminateProcessGroup } from './processGroup.js';

export interface JobRunnerOptions {
  store: JobStore;
  logs: JobLogs;
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
}

const STOPPED_BY_REQUEST = 'Job was stopped by request.';

interface ActiveJob {
  pid: number | undefined;
  /** The driver has exited; the outcome is being recorded. */
  exited: boolean;
  /** Set once a stop was asked for: the message the job ends with. */
  stopMessage: string | null;
  /** SIGTERM, then SIGKILL after the grace period, to the driver's process group. */
  termination: Promise<void> | undefined;
  done: Promise<void>;
}

function stopMessageOf(entry: ActiveJob): string | null {
  return entry.stopMessage;
}

/**
 * Runs each job's entrypoint as `/bin/sh -c` in a new session (its own process group), with
 * stdout and stderr appended to the job's log file, and records every state change in the store.
 */
export class JobRunner {
  private readonly active = new Map<string, ActiveJob>();
  private readonly shell: string;

  constructor(private readonly options: JobRunnerOptions) {
    this.shell = options.shell ?? '/bin/sh';
  }

  /** Starts a PENDING job; its progress is recorded in the store. */
  start(job: JobRecord): void {
    const entry: ActiveJob = {
      pid: undefined,
      exited: false,
      stopMessage: null,
      termination: undefined,
      done: Promise.resolve(),
    };
    this.active.set(job.submissionId, entry);
    entry.done = this.run(job, entry)
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

  /** Starts stopping a job this runner is running. False when it is not running here (any more). */
  stop(submissionId: string, message = STOPPED_BY_REQUEST): boolean {
    const entry = this.active.get(submissionId);
    if (entry === undefined || entry.exited) return false;
    if (entry.stopMessage === null) entry.stopMessage = message;
    this.terminate(submissionId, entry);
    return true;
  }

  /** Stops every job and waits until each has been recorded as ended. */
  async stopAll(message: string): Promise<void> {
    const entries = [...this.active.entries()];
    for (const [submissionId] of entries) this.stop(submissionId, message);
    // `done` includes the SIGKILL escalation: no process of a stopped job outlives the server.
    await Promise.all(entries.map(([, entry]) => entry.done));
  }

  get runningCount(): number {
    return this.active.size;
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

  private async run(job: JobRecord, entry: ActiveJob): Promise<void> {
    const { store, logs, logger } = this.options;
    const id = job.submissionId;
    if (entry.stopMessage !== null) {
      await store.finish(id, this.notStarted('STOPPED', 'Job was stopped before it started.', ''));
      return;
    }

    let exited: Promise<DriverExit | Error>;
    let pid: number | undefined;
    try {
      const fd = logs.openForDriver(id);
      try {
        const child = spawn(this.shell, ['-c', job.entrypoint], {
          detached: true,
          stdio: ['ignore', fd, fd],
          cwd: this.options.cwd,
          env: this.driverEnv(job),
        });
        exited = new Promise((resolve) => {
          child.once('exit', (code, signal) => {
            entry.exited = true;
            resolve({ code, signal });
          });
          child.once('error', (error) => {
            entry.exited = true;
            resolve(error);
          });
        });
        pid = child.pid;
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      await store.finish(id, this.startError(error));
      return;
    }

    if (pid === undefined) {
      const result = await exited;
      await store.finish(id, this.startError(result));
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

    const result = await exited;
    const exit: DriverExit = result instanceof Error ? { code: null, signal: null } : result;
    // Read afresh: a stop may have been asked for while the driver ran.
    const stopMessage = stopMessageOf(entry);
    const tail = stopMessage === null && exit.code !== 0 ? await logs.tail(id) : '';
    const outcome = driverOutcome(exit, stopMessage, tail, Date.now());
    await store.finish(id, outcome);
    logger.info(
      { submissionId: id, status: outcome.status, exitCode: outcome.exitCode },
      'job ended',
    );
  }

  private driverEnv(job: JobRecord): NodeJS.ProcessEnv {
    const runtimeEnv = RuntimeEnvSchema.parse(job.runtimeEnv);
    return {
      ...this.options.baseEnv,
      ...runtimeEnv.env_vars,
      JOBS_SUBMISSION_ID: job.submissionId,
    };
  }

  private startError(error: unknown): JobOutcome {
    const reason = error instanceof Error ? error.message : String(error);
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
