import { execFile } from 'node:child_process';
import { writeSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type RuntimeEnv, RuntimeEnvSchema, decodeEnvVarsJson } from '@jobs/contract';
import { resolveWorkingDir } from '../../runtimeEnv/resolveWorkingDir.js';
import { giveTree } from './giveTree.js';
import { runSetupCommand } from './runSetupCommand.js';
import { RuntimeEnvSetupError } from '../../runtimeEnv/runtimeEnvSetupError.js';
import { withinSetupTimeLimit } from '../../runtimeEnv/setupTimeLimit.js';

export const DEFAULT_SETUP_TIMEOUT_MS = 600_000;
export const DEFAULT_MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;

export interface PrepareRuntimeEnvOptions {
  /** The job's runtime_env as stored; it is validated again here. */
  runtimeEnv: unknown;
  /** The job's own directory: archives are extracted and the venv made here. Created if missing. */
  jobDir: string;
  /** Environment setup commands start from (before runtime_env's variables). */
  baseEnv: NodeJS.ProcessEnv;
  /** The job's log, open for appending: setup output and progress lines go there. */
  logFd: number;
  /** Limit of the whole setup unless runtime_env.config.setup_timeout_seconds says otherwise. */
  defaultTimeoutMs?: number;
  /** Most bytes an extracted working_dir archive may hold. */
  maxArchiveBytes?: number;
  /** Where uploaded packages (`gcs://` working_dir) are stored. */
  packagesDir?: string;
  /** Stops the setup: its processes are ended and RuntimeEnvSetupAbortedError is thrown. */
  signal?: AbortSignal;
  /** Interpreter that makes the venv. */
  python?: string;
  /** Shell that runs a `pip` setup command. */
  shell?: string;
  /** Time between SIGTERM and SIGKILL when ending setup processes. */
  killGraceMs?: number;
  /**
   * The OS user the job runs as: setup commands run as that user too, and what setup puts in
   * the job's directory (an extracted working_dir) becomes theirs.
   */
  runAs?: { uid: number; gid: number };
}

/** What the driver needs on top of the server's environment. */
export interface PreparedRuntimeEnv {
  /** Where the driver starts; undefined when runtime_env has no working_dir. */
  cwd: string | undefined;
  /** runtime_env's variables, plus VIRTUAL_ENV when a venv was made. */
  env: Record<string, string>;
  /** Directories to put first on PATH, in order. */
  pathPrefix: string[];
}

/** The environment a driver gets: base, then runtime_env's variables, then the PATH prefix. */
export function driverEnvironment(
  baseEnv: NodeJS.ProcessEnv,
  prepared: Pick<PreparedRuntimeEnv, 'env' | 'pathPrefix'>,
): NodeJS.ProcessEnv {
  const env = { ...baseEnv, ...prepared.env };
  if (prepared.pathPrefix.length > 0) {
    env.PATH = [...prepared.pathPrefix, ...(env.PATH ? [env.PATH] : [])].join(':');
  }
  return env;
}

function parseRuntimeEnv(runtimeEnv: unknown): RuntimeEnv {
  const result = RuntimeEnvSchema.safeParse(runtimeEnv ?? {});
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = ['runtime_env', ...(issue?.path ?? [])].join('.');
  throw new RuntimeEnvSetupError(`${field} is invalid: ${issue?.message ?? 'unknown problem'}`);
}

/** env_vars and envVars together (the schema refuses the two disagreeing). */
function runtimeEnvVars(runtimeEnv: RuntimeEnv): Record<string, string> {
  const fromJson =
    runtimeEnv.envVars === undefined ? undefined : decodeEnvVarsJson(runtimeEnv.envVars);
  return { ...(fromJson?.ok ? fromJson.vars : {}), ...runtimeEnv.env_vars };
}

/** Whether an interpreter finds pip (its own or the system's), without importing it. */
function canImportPip(
  python: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  runAs: { uid: number; gid: number } | undefined,
): Promise<boolean> {
  const probe = "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('pip') else 1)";
  return new Promise((resolve) => {
    execFile(python, ['-c', probe], { env, signal, uid: runAs?.uid, gid: runAs?.gid }, (error) => {
      resolve(error === null);
    });
  });
}

/**
 * Prepares what runtime_env asks for, in order: the working directory (an archive is extracted
 * into `<jobDir>/working_dir`), then `pip` (a list is installed into `<jobDir>/venv`, a string is
 * run as a shell command in the working directory). Throws RuntimeEnvSetupError with a one-sentence
 * reason when a step fails or the time limit passes.
 */
export async function prepareRuntimeEnv(
  options: PrepareRuntimeEnvOptions,
): Promise<PreparedRuntimeEnv> {
  const log = (line: string) => {
    writeSync(options.logFd, `${line}\n`);
  };
  let runtimeEnv: RuntimeEnv;
  try {
    runtimeEnv = parseRuntimeEnv(options.runtimeEnv);
  } catch (error) {
    log(`runtime_env: ${(error as Error).message}`);
    throw error;
  }
  const timeoutMs =
    runtimeEnv.config?.setup_timeout_seconds !== undefined
      ? runtimeEnv.config.setup_timeout_seconds * 1000
      : (options.defaultTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS);
  try {
    return await withinSetupTimeLimit(timeoutMs, options.signal, (signal) =>
      runSteps(runtimeEnv, options, signal, log),
    );
  } catch (error) {
    log(`runtime_env: ${(error as Error).message}`);
    throw error;
  }
}

async function runSteps(
  runtimeEnv: RuntimeEnv,
  options: PrepareRuntimeEnvOptions,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<PreparedRuntimeEnv> {
  const env = runtimeEnvVars(runtimeEnv);
  const pathPrefix: string[] = [];
  let cwd: string | undefined;
  const needsJobDir = runtimeEnv.pip !== undefined || runtimeEnv.working_dir !== undefined;
  if (needsJobDir) await mkdir(options.jobDir, { recursive: true, mode: 0o700 });

  if (runtimeEnv.working_dir !== undefined) {
    cwd = await resolveWorkingDir({
      workingDir: runtimeEnv.working_dir,
      jobDir: options.jobDir,
      maxArchiveBytes: options.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
      packagesDir: options.packagesDir,
      signal,
      log,
    });
  }
  // Only now, with nothing of the server's left to write there, is the directory the job's.
  if (options.runAs !== undefined) {
    await mkdir(options.jobDir, { recursive: true, mode: 0o700 });
    await giveTree(options.jobDir, options.runAs);
  }

  const command = {
    cwd: cwd ?? options.jobDir,
    logFd: options.logFd,
    signal,
    killGraceMs: options.killGraceMs ?? 3000,
    runAs: options.runAs,
  };
  const { pip } = runtimeEnv;
  if (Array.isArray(pip) && pip.length > 0) {
    const venv = join(options.jobDir, 'venv');
    const bin = join(venv, 'bin');
    const python = options.python ?? 'python3';
    log(`runtime_env: creating virtual environment ${venv}`);
    const setupEnv = driverEnvironment(options.baseEnv, { env, pathPrefix });
    // System site packages stay visible, as with Ray: what the node provides, pip included,
    // need not be installed again for every job. Copying pip into each venv takes seconds.
    await runSetupCommand({
      ...command,
      label: `${python} -m venv`,
      file: python,
      args: ['-m', 'venv', '--clear', '--system-site-packages', '--without-pip', venv],
      env: setupEnv,
    });
    const venvPython = join(bin, 'python');
    if (!(await canImportPip(venvPython, setupEnv, signal, options.runAs))) {
      await runSetupCommand({
        ...command,
        label: 'ensurepip',
        file: venvPython,
        args: ['-m', 'ensurepip', '--default-pip'],
        env: setupEnv,
      });
    }
    env.VIRTUAL_ENV = venv;
    pathPrefix.push(bin);
    log(`runtime_env: pip install ${pip.join(' ')}`);
    await runSetupCommand({
      ...command,
      label: 'pip install',
      file: venvPython,
      args: ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', ...pip],
      env: driverEnvironment(options.baseEnv, { env, pathPrefix }),
    });
  } else if (typeof pip === 'string') {
    const shell = options.shell ?? '/bin/sh';
    log(`runtime_env: running pip setup command: ${pip}`);
    await runSetupCommand({
      ...command,
      label: 'pip setup command',
      file: shell,
      args: ['-c', pip],
      env: driverEnvironment(options.baseEnv, { env, pathPrefix }),
    });
  }
  return { cwd, env, pathPrefix };
}
