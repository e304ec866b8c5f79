import { join } from 'node:path';

/** A string as one POSIX shell word: single-quoted, any `'` closed, escaped and reopened. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** What Slurm is asked to reserve for the job (already rounded up to whole units). */
export interface SlurmRequest {
  cpus: number;
  gpus: number;
  /** 0: Slurm's default for the partition. */
  memoryMiB: number;
  licenses: Record<string, number>;
}

export interface BatchScriptInput {
  submissionId: string;
  entrypoint: string;
  /** The job's directory in the shared directory: its script, venv and setup records. */
  runDir: string;
  /** Where the entrypoint starts. */
  cwd: string;
  /** The log Slurm writes the job's stdout and stderr to (appending). */
  logPath: string;
  /** The job's whole environment, besides the SLURM_* variables Slurm adds. */
  env: Record<string, string>;
  /** runtime_env.pip: requirements to install into a venv, or a setup command. */
  pip: readonly string[] | string | undefined;
  setupTimeoutSeconds: number;
  /** Time between SIGTERM and SIGKILL for a setup step that runs out of time. */
  killGraceSeconds: number;
  partition: string | undefined;
  request: SlurmRequest;
}

/** A file the script writes when its runtime_env setup failed: the reason, one line. */
export const SETUP_FAILED_FILE = 'setup-failed';
/** A file the script writes when the entrypoint could not be started: the reason, one line. */
export const START_FAILED_FILE = 'start-failed';

const PROBE_PIP =
  "import importlib.util, sys; sys.exit(0 if importlib.util.find_spec('pip') else 1)";

/** `sbatch` options for the job (the script's path follows them). */
export function sbatchArgs(input: BatchScriptInput): string[] {
  const { request } = input;
  const args = [
    '--parsable',
    // The job starts from an empty environment: the script sets exactly what the job gets.
    '--export=NONE',
    // One run per submission: a job on a failed node fails rather than run twice.
    '--no-requeue',
    `--job-name=${input.submissionId}`,
    `--output=${input.logPath}`,
    // The server may have written working_dir progress lines to the log already.
    '--open-mode=append',
    `--chdir=${input.runDir}`,
    '--nodes=1',
    '--ntasks=1',
    `--cpus-per-task=${request.cpus}`,
  ];
  if (input.partition !== undefined) args.push(`--partition=${input.partition}`);
  if (request.gpus > 0) args.push(`--gres=gpu:${request.gpus}`);
  if (request.memoryMiB > 0) args.push(`--mem=${request.memoryMiB}M`);
  const licenses = Object.entries(request.licenses).filter(([, count]) => count > 0);
  if (licenses.length > 0) {
    args.push(`--licenses=${licenses.map(([name, count]) => `${name}:${count}`).join(',')}`);
  }
  return args;
}

/**
 * The batch script Slurm runs on the node it picks. Every value from the request is a
 * single-quoted shell word, so quotes, `$`, backquotes, newlines and any other character reach
 * the job exactly as submitted. The setup of runtime_env (venv, pip) runs here, on the node,
 * with its output in the job's log; a failing step is recorded in SETUP_FAILED_FILE.
 */
export function batchScript(input: BatchScriptInput): string {
  const q = shellQuote;
  const envWords = (env: Record<string, string>) =>
    Object.entries(env)
      .map(([name, value]) => q(`${name}=${value}`))
      .join(' ');
  const lines = [
    '#!/bin/sh',
    `# Job ${JSON.stringify(input.submissionId)}: written by the job server, run by Slurm.`,
    `PATH=${q(input.env.PATH ?? '/usr/local/bin:/usr/bin:/bin')}`,
    'export PATH',
    `run_dir=${q(input.runDir)}`,
    // Records a reason in the run dir (written whole, then renamed) and ends the job.
    'record_and_exit() {',
    '  printf \'%s\\n\' "$2" >"$run_dir/$1.tmp" && mv -f "$run_dir/$1.tmp" "$run_dir/$1"',
    '  exit 1',
    '}',
    'setup_failed() {',
    '  printf \'runtime_env: %s\\n\' "$1"',
    `  record_and_exit ${SETUP_FAILED_FILE} "$1"`,
    '}',
    `deadline=$(( $(date +%s) + ${Math.ceil(input.setupTimeoutSeconds)} ))`,
    // One setup step under what is left of the setup's time limit.
    'step() {',
    '  label=$1; shift',
    '  left=$(( deadline - $(date +%s) ))',
    `  [ "$left" -gt 0 ] || setup_failed "setup timed out after ${Math.ceil(input.setupTimeoutSeconds)} s"`,
    `  timeout -k ${Math.max(1, Math.ceil(input.killGraceSeconds))} "$left" "$@"`,
    '  code=$?',
    `  [ "$code" -eq 124 ] && setup_failed "setup timed out after ${Math.ceil(input.setupTimeoutSeconds)} s"`,
    '  [ "$code" -eq 0 ] || setup_failed "$label exited with code $code"',
    '}',
  ];
  const { pip } = input;
  let env = input.env;
  if (Array.isArray(pip) && pip.length > 0) {
    const venv = join(input.runDir, 'venv');
    const python = join(venv, 'bin', 'python');
    const setupEnv = envWords(env);
    lines.push(
      `printf '%s\\n' ${q(`runtime_env: creating virtual environment ${venv}`)}`,
      `step 'python3 -m venv' env ${setupEnv} python3 -m venv --clear --system-site-packages --without-pip ${q(venv)}`,
      `if ! env ${setupEnv} ${q(python)} -c ${q(PROBE_PIP)}; then`,
      `  step ensurepip env ${setupEnv} ${q(python)} -m ensurepip --default-pip`,
      'fi',
      `printf '%s\\n' ${q(`runtime_env: pip install ${pip.join(' ')}`)}`,
      `step 'pip install' env ${setupEnv} ${q(python)} -m pip install --disable-pip-version-check --no-input ${pip.map(q).join(' ')}`,
    );
    env = { ...env, VIRTUAL_ENV: venv, PATH: `${join(venv, 'bin')}:${env.PATH ?? ''}` };
  } else if (typeof pip === 'string') {
    lines.push(
      `printf '%s\\n' ${q(`runtime_env: running pip setup command: ${pip}`)}`,
      `cd ${q(input.cwd)} || record_and_exit ${START_FAILED_FILE} ${q(`working directory ${input.cwd} is missing on this node`)}`,
      `step 'pip setup command' env ${envWords(env)} /bin/sh -c ${q(pip)}`,
    );
  }
  lines.push(
    `cd ${q(input.cwd)} || record_and_exit ${START_FAILED_FILE} ${q(`working directory ${input.cwd} is missing on this node`)}`,
    // exec: the entrypoint's shell is the batch step itself, so Slurm's signals and exit code are its.
    `exec env ${envWords(env)} /bin/sh -c ${q(input.entrypoint)}`,
    '',
  );
  return lines.join('\n');
}
