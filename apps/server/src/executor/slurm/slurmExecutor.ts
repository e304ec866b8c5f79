import { mkdirSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import {
  notStartedOutcome,
  setupFailedOutcome,
  startErrorOutcome,
} from '../../domain/jobOutcomes.js';
import type { JobDriver, JobOutcome, JobRecord } from '../../domain/jobRecord.js';
import {
  RuntimeEnvSetupAbortedError,
  RuntimeEnvSetupError,
  runtimeEnvSetupMessage,
} from '../../runtimeEnv/index.js';
import type { JobEvents, JobExecutor } from '../jobExecutor.js';
import { type BatchScriptInput, SETUP_FAILED_FILE, START_FAILED_FILE } from './batchScript.js';
import { type SlurmCli, SlurmCommandError } from './slurmCli.js';
import { logPathOf, runDirOf, slurmJobInput } from './slurmJobInput.js';
import { type SlurmJobState, parseExitCode, slurmPhase, waitingMessage } from './slurmJobState.js';
import { SlurmNodes } from './slurmNodes.js';
import { findSlurmJobsByName } from './findSlurmJobsByName.js';
import { slurmOutcome } from './slurmOutcome.js';
import { capSlurmLog } from './capSlurmLog.js';
import type { SlurmPoller } from './slurmPoller.js';
import { SlurmRefusedError, submitBatchJob } from './submitBatchJob.js';

export interface SlurmExecutorOptions {
  cli: SlurmCli;
  poller: SlurmPoller;
  events: JobEvents;
  logger: Logger;
  /** Seen by this host and every node: job logs (`logs/`) and run dirs (`run/`). */
  sharedDir: string;
  partition: string | undefined;
  /** Time between SIGTERM and SIGKILL when a job is stopped. */
  stopGraceMs: number;
  /** A job still PENDING (not running in Slurm) this long after it was accepted fails. */
  startTimeoutMs: number;
  /** What every job's environment starts from (never the server's whole environment). */
  baseEnv: Record<string, string>;
  /** Largest size of one job's log: Slurm writes it, so it is cut on every poll. */
  maxLogBytes: number;
  /** Where uploaded packages (`gcs://` working_dir) are stored, on this host. */
  packagesDir?: string;
  /** Wait between sbatch attempts while the controller cannot be reached. */
  submitRetryMs?: number;
}

/** One job this server follows, from its submission to its end. */
interface TrackedJob {
  job: JobRecord;
  slurmJobId: string | undefined;
  /** The job runs (or ran) on a node and that was reported. */
  running: boolean;
  node: string;
  message: string;
  stopMessage: string | null;
  /** Aborts the working_dir preparation. */
  setup: AbortController;
  /** The submission, until the job is in Slurm's queue (or ended before). */
  submission: Promise<void>;
  termination: Promise<void> | undefined;
  ended: boolean;
  /** Resolves when the job's end has been reported. */
  done: Promise<void>;
  markDone: () => void;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The stop message, read through a call: a stop may arrive while a submission awaits. */
function stopMessageOf(entry: TrackedJob): string {
  return entry.stopMessage ?? 'Job was stopped before it started.';
}

function readRecord(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

const noRecords = { setupFailed: undefined, startFailed: undefined };

/**
 * Runs jobs on a Slurm cluster: each job is one batch job (sbatch), followed with one squeue call
 * per poll for all of them, stopped with scancel. Slurm places, queues, runs and kills; this
 * server keeps the API, the store and the logs (in the shared directory).
 */
export class SlurmExecutor implements JobExecutor {
  private readonly active = new Map<string, TrackedJob>();
  private readonly nodes: SlurmNodes;
  private released = false;

  constructor(private readonly options: SlurmExecutorOptions) {
    this.nodes = new SlurmNodes(options.cli);
    mkdirSync(join(options.sharedDir, 'logs'), { recursive: true });
    mkdirSync(join(options.sharedDir, 'run'), { recursive: true });
  }

  start(job: JobRecord): void {
    const entry = this.track(job, undefined);
    entry.submission = this.submit(entry).catch((error: unknown) => {
      this.options.logger.error(
        { err: error, submissionId: job.submissionId },
        'could not submit a job to Slurm',
      );
    });
  }

  async stop(job: JobRecord, message: string): Promise<boolean> {
    const entry = this.active.get(job.submissionId);
    if (entry === undefined || entry.ended) return false;
    entry.stopMessage ??= message;
    entry.setup.abort();
    if (entry.slurmJobId !== undefined) this.cancel(entry);
    return Promise.resolve(true);
  }

  /**
   * Stops a job this process does not follow (another server sharing the store does), by the
   * Slurm job id in its record; the server that follows it records how it ended. A job without
   * an id is not in Slurm yet: the server that submits it sees the recorded stop first.
   */
  async stopUnfollowed(job: JobRecord): Promise<void> {
    const slurmJobId = job.driver?.ref;
    if (slurmJobId === undefined || slurmJobId === '') return;
    const { cli, logger } = this.options;
    try {
      // A job recorded PENDING may be starting on a node meanwhile: a plain scancel covers both.
      if (job.status !== 'RUNNING') {
        await cli.run('scancel', [slurmJobId]);
        return;
      }
      await cli.run('scancel', ['--signal=TERM', '--full', slurmJobId]);
    } catch (error) {
      logger.warn(
        { err: error, submissionId: job.submissionId, slurmJobId },
        'could not stop a Slurm job',
      );
      return;
    }
    this.killAfterGrace(job.submissionId, slurmJobId).catch((error: unknown) => {
      logger.warn(
        { err: error, submissionId: job.submissionId, slurmJobId },
        'could not kill a Slurm job',
      );
    });
  }

  /** SIGKILL once the stop grace period has passed, unless Slurm says the job has ended by then. */
  private async killAfterGrace(submissionId: string, slurmJobId: string): Promise<void> {
    await sleep(this.options.stopGraceMs, undefined, { ref: false });
    const state = (await this.options.poller.query([slurmJobId])).get(slurmJobId);
    if (state === undefined || slurmPhase(state).kind === 'ended') return;
    this.options.logger.warn({ submissionId, slurmJobId }, 'job outlived SIGTERM; sending SIGKILL');
    await this.options.cli.run('scancel', ['--signal=KILL', '--full', slurmJobId]);
  }

  get activeCount(): number {
    return this.active.size;
  }

  async recover(jobs: readonly JobRecord[]): Promise<void> {
    const unsubmitted: JobRecord[] = [];
    for (const job of jobs) {
      const ref = job.driver?.ref;
      if (ref === undefined || ref === '') unsubmitted.push(job);
      else this.follow(this.track(job, ref));
    }
    // The server may have died between sbatch and recording the Slurm job id: the job name
    // (the submission id) finds such a job, so it is never submitted twice.
    const byName = await findSlurmJobsByName(
      this.options.cli,
      unsubmitted.map((job) => job.submissionId),
    );
    for (const job of unsubmitted) {
      const slurmJobId = byName.get(job.submissionId);
      if (slurmJobId === undefined) {
        this.start(job);
        continue;
      }
      const entry = this.track(job, slurmJobId);
      await this.options.events.queued(job.submissionId, this.driver(slurmJobId, '', ''));
      this.follow(entry);
    }
  }

  async release(): Promise<void> {
    this.released = true;
    const entries = [...this.active.values()];
    for (const entry of entries) entry.setup.abort();
    await Promise.all(entries.map((entry) => entry.submission));
    await this.options.poller.close();
    // Jobs keep running in Slurm; the next server follows them by their Slurm job id.
    for (const entry of entries) entry.markDone();
    this.active.clear();
  }

  async stopAll(message: string): Promise<void> {
    const entries = [...this.active.values()];
    await Promise.all(entries.map((entry) => this.stop(entry.job, message)));
    await Promise.all(entries.map((entry) => entry.done));
    await Promise.all(entries.map((entry) => entry.termination ?? Promise.resolve()));
    await this.options.poller.close();
  }

  async notReadyReason(): Promise<string | undefined> {
    try {
      const out = await this.options.cli.run('scontrol', ['ping']);
      return /\bis UP\b/.test(out) ? undefined : `Slurm's controller is not up: ${out.trim()}`;
    } catch (error) {
      return `Slurm's controller cannot be reached: ${errorMessage(error)}`;
    }
  }

  logPath(submissionId: string): string {
    return logPathOf(this.options.sharedDir, submissionId);
  }

  async remove(submissionId: string): Promise<void> {
    await rm(runDirOf(this.options.sharedDir, submissionId), { recursive: true, force: true });
  }

  private track(job: JobRecord, slurmJobId: string | undefined): TrackedJob {
    let markDone = () => {};
    const done = new Promise<void>((resolve) => {
      markDone = resolve;
    });
    const entry: TrackedJob = {
      job,
      slurmJobId,
      running: job.status === 'RUNNING',
      node: job.driver?.nodeId ?? '',
      message: job.message,
      stopMessage: job.stopMessage,
      setup: new AbortController(),
      submission: Promise.resolve(),
      termination: undefined,
      ended: false,
      done,
      markDone,
    };
    this.active.set(job.submissionId, entry);
    return entry;
  }

  private driver(slurmJobId: string, node: string, nodeIp: string): JobDriver {
    return { ref: slurmJobId, id: slurmJobId, pid: '', nodeIp, nodeId: node };
  }

  private async end(entry: TrackedJob, outcome: JobOutcome): Promise<void> {
    if (entry.ended) return;
    entry.ended = true;
    if (entry.slurmJobId !== undefined) this.options.poller.unwatch(entry.slurmJobId);
    try {
      await this.options.events.ended(entry.job.submissionId, outcome);
      this.options.logger.info(
        {
          submissionId: entry.job.submissionId,
          slurmJobId: entry.slurmJobId,
          status: outcome.status,
        },
        'job ended',
      );
    } finally {
      this.active.delete(entry.job.submissionId);
      entry.markDone();
    }
  }

  /** Prepares the job's files, submits it with sbatch, then follows it. */
  private async submit(entry: TrackedJob): Promise<void> {
    const { job } = entry;
    const id = job.submissionId;
    const { options } = this;
    if (entry.stopMessage !== null) {
      await this.end(entry, notStartedOutcome('STOPPED', 'Job was stopped before it started.', ''));
      return;
    }
    const runDir = runDirOf(options.sharedDir, id);
    const logPath = this.logPath(id);
    mkdirSync(runDir, { recursive: true, mode: 0o700 });
    mkdirSync(dirname(logPath), { recursive: true });
    if ('working_dir' in job.runtimeEnv) {
      await options.events.waiting(id, runtimeEnvSetupMessage(job.runtimeEnv));
    }
    let input: BatchScriptInput;
    try {
      input = await slurmJobInput({
        job,
        runDir,
        logPath,
        baseEnv: options.baseEnv,
        partition: options.partition,
        killGraceSeconds: options.stopGraceMs / 1000,
        packagesDir: options.packagesDir,
        signal: entry.setup.signal,
      });
    } catch (error) {
      // Left PENDING for the next server, which prepares it again.
      if (this.released) return;
      if (error instanceof RuntimeEnvSetupAbortedError) {
        await this.end(entry, notStartedOutcome('STOPPED', stopMessageOf(entry), ''));
      } else if (error instanceof RuntimeEnvSetupError) {
        await this.end(entry, setupFailedOutcome(error.message));
      } else {
        await this.end(entry, startErrorOutcome(errorMessage(error)));
      }
      return;
    }
    const slurmJobId = await this.submitUntilAccepted(entry, input);
    if (slurmJobId === undefined) return;
    entry.slurmJobId = slurmJobId;
    await options.events.queued(id, this.driver(slurmJobId, '', ''));
    this.follow(entry);
  }

  /** sbatch, again while the controller cannot be reached; undefined when the job ended here. */
  private async submitUntilAccepted(
    entry: TrackedJob,
    input: BatchScriptInput,
  ): Promise<string | undefined> {
    const { job } = entry;
    for (;;) {
      if (entry.stopMessage !== null) {
        await this.end(
          entry,
          notStartedOutcome('STOPPED', 'Job was stopped before it started.', ''),
        );
        return undefined;
      }
      if (this.released) return undefined;
      try {
        return await submitBatchJob(this.options.cli, input);
      } catch (error) {
        if (error instanceof SlurmRefusedError) {
          await this.end(
            entry,
            notStartedOutcome(
              'FAILED',
              `Job can never start in Slurm: ${error.message}.`,
              'JOB_UNSCHEDULABLE',
            ),
          );
          return undefined;
        }
        if (!(error instanceof SlurmCommandError)) throw error;
        if (Date.now() > job.startTime + this.options.startTimeoutMs) {
          await this.end(
            entry,
            notStartedOutcome(
              'FAILED',
              `Job could not be handed to Slurm within the start timeout: ${error.reason}.`,
              'JOB_START_TIMEOUT',
            ),
          );
          return undefined;
        }
        const message = `Job is waiting for Slurm's controller: ${error.reason}.`;
        if (message !== entry.message) {
          entry.message = message;
          await this.options.events.waiting(job.submissionId, message);
        }
        await sleep(this.options.submitRetryMs ?? 2000);
      }
    }
  }

  private follow(entry: TrackedJob): void {
    const slurmJobId = entry.slurmJobId;
    if (slurmJobId === undefined) return;
    this.options.poller.watch(slurmJobId, (state) => this.observe(entry, slurmJobId, state));
    if (entry.stopMessage !== null) this.cancel(entry);
  }

  /** Records what one poll says about the job. */
  private async observe(
    entry: TrackedJob,
    slurmJobId: string,
    state: SlurmJobState | undefined,
  ): Promise<void> {
    const id = entry.job.submissionId;
    if (state === undefined) {
      await this.end(entry, {
        status: 'FAILED',
        message: `Slurm no longer knows job ${slurmJobId}, and it left no record of how it ended.`,
        exitCode: null,
        errorType: 'JOB_DRIVER_LOST',
        endTime: Date.now(),
      });
      return;
    }
    const phase = slurmPhase(state);
    if (phase.kind === 'waiting') {
      if (phase.neverRuns || Date.now() > entry.job.startTime + this.options.startTimeoutMs) {
        await this.options.cli.run('scancel', [slurmJobId]);
        await this.end(
          entry,
          phase.neverRuns
            ? notStartedOutcome(
                'FAILED',
                `Job can never start in Slurm (${phase.reason}).`,
                'JOB_UNSCHEDULABLE',
              )
            : notStartedOutcome(
                'FAILED',
                `Job did not start in Slurm within the start timeout of ${Math.round(this.options.startTimeoutMs / 1000)} s (${phase.reason}).`,
                'JOB_START_TIMEOUT',
              ),
        );
        return;
      }
      const message = waitingMessage(phase.reason);
      if (message !== entry.message && entry.stopMessage === null) {
        entry.message = message;
        await this.options.events.waiting(id, message);
      }
      return;
    }
    // Slurm writes the log itself: it is kept under the limit here, once more after the job ended.
    await this.capLog(entry);
    if (!entry.running && phase.node !== '') {
      entry.running = true;
      entry.node = phase.node;
      const nodeIp = await this.nodes.addressOf(phase.node).catch(() => '');
      await this.options.events.running(id, this.driver(slurmJobId, phase.node, nodeIp));
    }
    if (phase.kind === 'running') return;
    if (!entry.running) {
      // Withdrawn, cancelled or refused before it ever ran on a node: no exit code to show.
      const outcome = slurmOutcome(
        { ...phase, exitCode: 0, signal: 0 },
        entry.stopMessage,
        noRecords,
      );
      await this.end(entry, { ...outcome, exitCode: null });
      return;
    }
    const exit = parseExitCode(
      await this.options.cli.run('scontrol', ['show', 'job', '-o', slurmJobId]),
    );
    const runDir = runDirOf(this.options.sharedDir, id);
    await this.end(
      entry,
      slurmOutcome({ ...phase, ...exit }, entry.stopMessage, {
        setupFailed: readRecord(join(runDir, SETUP_FAILED_FILE)),
        startFailed: readRecord(join(runDir, START_FAILED_FILE)),
      }),
    );
  }

  private async capLog(entry: TrackedJob): Promise<void> {
    const id = entry.job.submissionId;
    try {
      await capSlurmLog(this.logPath(id), this.options.maxLogBytes);
    } catch (error) {
      this.options.logger.warn({ err: error, submissionId: id }, 'could not cut a job log');
    }
  }

  /**
   * Stops the job in Slurm: a queued job is withdrawn; a running one gets SIGTERM (every process
   * of it, the batch shell included) and SIGKILL once the grace period has passed.
   */
  private cancel(entry: TrackedJob): void {
    const slurmJobId = entry.slurmJobId;
    if (slurmJobId === undefined || entry.termination !== undefined) return;
    const { cli, stopGraceMs, logger } = this.options;
    entry.termination = (async () => {
      if (!entry.running) {
        await cli.run('scancel', [slurmJobId]);
        return;
      }
      await cli.run('scancel', ['--signal=TERM', '--full', slurmJobId]);
      await Promise.race([entry.done, sleep(stopGraceMs)]);
      if (entry.ended) return;
      logger.warn(
        { submissionId: entry.job.submissionId, slurmJobId },
        'job outlived SIGTERM; sending SIGKILL',
      );
      await cli.run('scancel', ['--signal=KILL', '--full', slurmJobId]);
    })().catch((error: unknown) => {
      logger.error(
        { err: error, submissionId: entry.job.submissionId, slurmJobId },
        'could not stop a Slurm job',
      );
    });
  }
}
