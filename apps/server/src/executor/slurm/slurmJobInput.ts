import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RuntimeEnv, RuntimeEnvSchema, decodeEnvVarsJson } from '@jobs/contract';
import type { JobRecord, JobResources } from '../../domain/jobRecord.js';
import {
  RuntimeEnvSetupError,
  resolveWorkingDir,
  withinSetupTimeLimit,
} from '../../runtimeEnv/index.js';
import type { BatchScriptInput, SlurmRequest } from './batchScript.js';

const MIB = 1024 * 1024;
/** runtime_env's setup limit when its config names none, as for local jobs. */
const DEFAULT_SETUP_TIMEOUT_SECONDS = 600;
/** Most bytes an extracted working_dir archive may hold, as for local jobs. */
const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;

/**
 * What a job asks for, in Slurm's whole units: CPUs per task (at least 1), GPUs as GRES, memory in
 * MiB, custom resources as licenses.
 */
export function slurmRequest(resources: JobResources): SlurmRequest {
  const licenses: Record<string, number> = {};
  for (const [name, amount] of Object.entries(resources.custom ?? {})) {
    if (amount > 0) licenses[name] = Math.ceil(amount);
  }
  return {
    cpus: Math.max(1, Math.ceil(resources.numCpus ?? 1)),
    gpus: Math.ceil(resources.numGpus ?? 0),
    memoryMiB: Math.ceil((resources.memoryBytes ?? 0) / MIB),
    licenses,
  };
}

/** Variables telling the job what it asked Slurm for (Slurm sets CUDA_VISIBLE_DEVICES itself). */
function allocationEnv(job: JobRecord, request: SlurmRequest): Record<string, string> {
  return {
    JOBS_SUBMISSION_ID: job.submissionId,
    JOBS_NUM_CPUS: String(request.cpus),
    JOBS_NUM_GPUS: String(request.gpus),
    JOBS_MEMORY_BYTES: String(request.memoryMiB * MIB),
    JOBS_RESOURCES: JSON.stringify(request.licenses),
  };
}

export interface SlurmJobInputOptions {
  job: JobRecord;
  runDir: string;
  logPath: string;
  /** What every job's environment starts from (PATH, HOME, LANG...). */
  baseEnv: Record<string, string>;
  partition: string | undefined;
  killGraceSeconds: number;
  /** Where uploaded packages (`gcs://` working_dir) are stored, on this host. */
  packagesDir: string | undefined;
  /** Stops the preparation (RuntimeEnvSetupAbortedError). */
  signal: AbortSignal;
}

/**
 * Prepares on this host what the nodes read from the shared directory (the working_dir, an
 * archive extracted into the run dir, under the setup's time limit) and describes the batch job.
 * What must run on the node (pip) is left to the batch script, under the same limit. Throws
 * RuntimeEnvSetupError when the working_dir fails or runs out of time.
 */
export async function slurmJobInput(options: SlurmJobInputOptions): Promise<BatchScriptInput> {
  const { job } = options;
  const parsed = RuntimeEnvSchema.safeParse(job.runtimeEnv);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    const field = ['runtime_env', ...(issue?.path ?? [])].join('.');
    throw new RuntimeEnvSetupError(`${field} is invalid: ${issue?.message ?? 'unknown problem'}`);
  }
  const runtimeEnv: RuntimeEnv = parsed.data;
  const log = (line: string) => {
    appendFileSync(options.logPath, `${line}\n`);
  };
  const setupTimeoutSeconds =
    runtimeEnv.config?.setup_timeout_seconds ?? DEFAULT_SETUP_TIMEOUT_SECONDS;
  let cwd = options.runDir;
  const { working_dir: workingDir } = runtimeEnv;
  if (workingDir !== undefined) {
    try {
      cwd = await withinSetupTimeLimit(setupTimeoutSeconds * 1000, options.signal, (signal) =>
        resolveWorkingDir({
          workingDir,
          jobDir: options.runDir,
          maxArchiveBytes: MAX_ARCHIVE_BYTES,
          packagesDir: options.packagesDir,
          signal,
          log,
        }),
      );
    } catch (error) {
      log(`runtime_env: ${(error as Error).message}`);
      throw error;
    }
  }
  const fromJson =
    runtimeEnv.envVars === undefined ? undefined : decodeEnvVarsJson(runtimeEnv.envVars);
  const request = slurmRequest(job.resources);
  return {
    submissionId: job.submissionId,
    entrypoint: job.entrypoint,
    runDir: options.runDir,
    cwd,
    logPath: options.logPath,
    env: {
      ...options.baseEnv,
      ...allocationEnv(job, request),
      ...(fromJson?.ok ? fromJson.vars : {}),
      ...runtimeEnv.env_vars,
    },
    pip: runtimeEnv.pip,
    setupTimeoutSeconds,
    killGraceSeconds: options.killGraceSeconds,
    partition: options.partition,
    request,
  };
}

export function runDirOf(sharedDir: string, submissionId: string): string {
  return join(sharedDir, 'run', submissionId);
}

export function logPathOf(sharedDir: string, submissionId: string): string {
  return join(sharedDir, 'logs', `${submissionId}.log`);
}
