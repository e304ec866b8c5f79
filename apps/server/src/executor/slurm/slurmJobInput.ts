import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { RuntimeEnvSchema } from '@jobs/contract';
import type { JobRecord, JobResources } from '../../jobs/jobRecord.js';
import { DEFAULT_SETUP_TIMEOUT_MS, prepareRuntimeEnv } from '../../runtimeEnv/index.js';
import type { BatchScriptInput, SlurmRequest } from './batchScript.js';

const MIB = 1024 * 1024;

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
  signal: AbortSignal;
}

/**
 * Prepares on this host what the nodes read from the shared directory (the working_dir, an
 * archive extracted into the run dir) and describes the batch job. What must run on the node
 * (pip) is left to the batch script. Throws RuntimeEnvSetupError when the working_dir fails.
 */
export async function slurmJobInput(options: SlurmJobInputOptions): Promise<BatchScriptInput> {
  const { job } = options;
  const parsed = RuntimeEnvSchema.safeParse(job.runtimeEnv);
  const runtimeEnv = parsed.success ? parsed.data : {};
  // pip runs on the node, in the batch script.
  const { pip: _onNode, ...hostSide } = job.runtimeEnv;
  const logFd = openSync(options.logPath, 'a');
  let prepared;
  try {
    prepared = await prepareRuntimeEnv({
      runtimeEnv: hostSide,
      jobDir: options.runDir,
      baseEnv: options.baseEnv,
      logFd,
      signal: options.signal,
      killGraceMs: options.killGraceSeconds * 1000,
    });
  } finally {
    closeSync(logFd);
  }
  const request = slurmRequest(job.resources);
  const setupTimeoutMs =
    runtimeEnv.config?.setup_timeout_seconds !== undefined
      ? runtimeEnv.config.setup_timeout_seconds * 1000
      : DEFAULT_SETUP_TIMEOUT_MS;
  return {
    submissionId: job.submissionId,
    entrypoint: job.entrypoint,
    runDir: options.runDir,
    cwd: prepared.cwd ?? options.runDir,
    logPath: options.logPath,
    env: { ...options.baseEnv, ...allocationEnv(job, request), ...prepared.env },
    pip: runtimeEnv.pip,
    setupTimeoutSeconds: setupTimeoutMs / 1000,
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

/** The server's variables a job on a node starts from: where programs are, and the locale. */
const INHERITED = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ'] as const;

/** What every Slurm job's environment starts from: a few harmless variables of the server's. */
export function slurmBaseEnv(serverEnv: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = { PATH: '/usr/local/bin:/usr/bin:/bin' };
  for (const name of INHERITED) {
    const value = serverEnv[name];
    if (value !== undefined && value !== '') env[name] = value;
  }
  return env;
}
