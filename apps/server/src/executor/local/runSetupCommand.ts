import { spawn } from 'node:child_process';
import { processGroupExists, terminateProcessGroup } from './processGroup.js';
import { RuntimeEnvSetupError } from '../../runtimeEnv/runtimeEnvSetupError.js';

export interface SetupCommand {
  /** How the step is named in messages, e.g. "pip install". */
  label: string;
  file: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where stdout and stderr go (the job's log). */
  logFd: number;
  /** Ends the command's whole process group. */
  signal: AbortSignal;
  /** Time between SIGTERM and SIGKILL when ending the group. */
  killGraceMs: number;
  /** The OS user the command runs as; the server's own when undefined. */
  runAs?: { uid: number; gid: number };
}

/**
 * Runs one setup command in a process group of its own and resolves once it exited with code 0.
 * When the signal fires, or the command leaves background processes behind, the whole group is
 * ended, so no setup process outlives its step.
 */
export async function runSetupCommand(command: SetupCommand): Promise<void> {
  const { label, signal } = command;
  signal.throwIfAborted();
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    env: command.env,
    detached: true,
    stdio: ['ignore', command.logFd, command.logFd],
    uid: command.runAs?.uid,
    gid: command.runAs?.gid,
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null } | Error>(
    (resolve) => {
      child.once('exit', (code, exitSignal) => {
        resolve({ code, signal: exitSignal });
      });
      child.once('error', resolve);
    },
  );
  const pgid = child.pid;
  let ending: Promise<unknown> | undefined;
  const endGroup = () => {
    if (pgid !== undefined && ending === undefined) {
      ending = terminateProcessGroup(pgid, command.killGraceMs);
    }
  };
  signal.addEventListener('abort', endGroup, { once: true });
  try {
    const result = await exited;
    // Background processes the command started would otherwise escape a later stop.
    if (pgid !== undefined && processGroupExists(pgid)) endGroup();
    await ending;
    signal.throwIfAborted();
    if (result instanceof Error) {
      throw new RuntimeEnvSetupError(`${label} could not start: ${result.message}`);
    }
    if (result.code !== 0) {
      const how =
        result.code === null
          ? `was killed by ${String(result.signal)}`
          : `exited with code ${result.code}`;
      throw new RuntimeEnvSetupError(`${label} ${how}`);
    }
  } finally {
    signal.removeEventListener('abort', endGroup);
  }
}
