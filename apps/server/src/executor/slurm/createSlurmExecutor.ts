import type { Logger } from 'pino';
import type { JobEvents } from '../jobExecutor.js';
import { SlurmCli } from './slurmCli.js';
import { SlurmExecutor } from './slurmExecutor.js';
import { SlurmPoller } from './slurmPoller.js';

/** Where the Slurm cluster is and how it is talked to. */
export interface SlurmSettings {
  /** The cluster's slurm.conf; Slurm's own default when undefined. */
  slurmConf: string | undefined;
  partition: string | undefined;
  /** Seen at the same path by this host and every node. */
  sharedDir: string;
  pollMs: number;
  commandTimeoutMs: number;
}

export interface CreateSlurmExecutorOptions {
  settings: SlurmSettings;
  events: JobEvents;
  logger: Logger;
  stopGraceMs: number;
  startTimeoutMs: number;
  /** What every job's environment starts from. */
  baseEnv: Record<string, string>;
  /** Largest size of one job's log. */
  maxLogBytes: number;
  /** Where uploaded packages (`gcs://` working_dir) are stored, on this host. */
  packagesDir?: string;
  /** PATH Slurm's commands are found on. */
  path: string;
  onCommand?: (command: string, outcome: string, seconds: number) => void;
}

/** A SlurmExecutor with its CLI and poller, from the server's settings. */
export function createSlurmExecutor(options: CreateSlurmExecutorOptions): SlurmExecutor {
  const { settings } = options;
  const cli = new SlurmCli({
    slurmConf: settings.slurmConf,
    path: options.path,
    timeoutMs: settings.commandTimeoutMs,
    onCall: (call) => options.onCommand?.(call.command, call.outcome, call.seconds),
  });
  return new SlurmExecutor({
    cli,
    poller: new SlurmPoller(cli, settings.pollMs, options.logger),
    events: options.events,
    logger: options.logger,
    sharedDir: settings.sharedDir,
    partition: settings.partition,
    stopGraceMs: options.stopGraceMs,
    startTimeoutMs: options.startTimeoutMs,
    baseEnv: options.baseEnv,
    maxLogBytes: options.maxLogBytes,
    packagesDir: options.packagesDir,
  });
}
