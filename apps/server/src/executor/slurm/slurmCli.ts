import { execFile } from 'node:child_process';

/** The Slurm commands the executor uses. */
export type SlurmCommand = 'sbatch' | 'squeue' | 'scancel' | 'scontrol' | 'sinfo';

/** One Slurm command's run, for metrics: how long it took and whether it succeeded. */
export interface SlurmCall {
  command: SlurmCommand;
  seconds: number;
  outcome: 'ok' | 'error' | 'timeout';
}

export interface SlurmCliOptions {
  /** slurm.conf for every command; Slurm's own default (/etc/slurm/slurm.conf) when undefined. */
  slurmConf?: string;
  /** PATH the commands are found on. */
  path: string;
  /** Longest a command may run: a missing slurm.conf makes every command retry for 60 s. */
  timeoutMs: number;
  onCall?: (call: SlurmCall) => void;
  /** Commands run at once at most; more wait their turn (a thousand submits must not fork a thousand sbatch). */
  maxConcurrent?: number;
}

/** A Slurm command failed; `stderr` is what Slurm said (its `command: error:` prefixes removed). */
export class SlurmCommandError extends Error {
  constructor(
    readonly command: SlurmCommand,
    readonly reason: string,
    readonly timedOut: boolean,
  ) {
    super(`${command} failed: ${reason}`);
  }
}

/** Slurm's message without the `sbatch: error: ` prefixes, one line per message. */
function slurmMessage(command: SlurmCommand, stderr: string): string {
  return stderr
    .split('\n')
    .map((line) => line.replace(new RegExp(`^${command}: (error|fatal): `), '').trim())
    .filter((line) => line !== '')
    .join('; ');
}

/**
 * Runs Slurm's commands as programs, never through a shell, with nothing of the server's
 * environment but PATH and SLURM_CONF (sbatch would otherwise copy the server's environment,
 * tokens included, into every job), and a time limit on each.
 */
export class SlurmCli {
  private readonly env: NodeJS.ProcessEnv;
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly options: SlurmCliOptions) {
    this.env = { PATH: options.path };
    if (options.slurmConf !== undefined) this.env.SLURM_CONF = options.slurmConf;
  }

  /** The command's stdout; throws SlurmCommandError when it fails or times out. */
  async run(command: SlurmCommand, args: readonly string[]): Promise<string> {
    while (this.running >= (this.options.maxConcurrent ?? 4)) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    }
    this.running += 1;
    try {
      return await this.execute(command, args);
    } finally {
      this.running -= 1;
      this.queue.shift()?.();
    }
  }

  private execute(command: SlurmCommand, args: readonly string[]): Promise<string> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      execFile(
        command,
        args,
        {
          env: this.env,
          timeout: this.options.timeoutMs,
          killSignal: 'SIGKILL',
          // squeue --json of a busy cluster is several MB.
          maxBuffer: 256 * 1024 * 1024,
          encoding: 'utf8',
        },
        (error, stdout, stderr) => {
          const timedOut = error !== null && error.killed === true;
          this.options.onCall?.({
            command,
            seconds: (performance.now() - started) / 1000,
            outcome: error === null ? 'ok' : timedOut ? 'timeout' : 'error',
          });
          if (error === null) {
            resolve(stdout);
            return;
          }
          const reason = timedOut
            ? `no answer within ${this.options.timeoutMs} ms`
            : slurmMessage(command, stderr) || error.message;
          reject(new SlurmCommandError(command, reason, timedOut));
        },
      );
    });
  }
}
