import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BatchScriptInput, batchScript, sbatchArgs } from './batchScript.js';
import { type SlurmCli, SlurmCommandError } from './slurmCli.js';

/** Slurm refused the job as asked for (resources, partition, licenses): it will never run. */
export class SlurmRefusedError extends Error {}

/** sbatch failures that say nothing about the job: the controller is busy or unreachable. */
const TRANSIENT = [
  'Unable to contact slurm controller',
  'Socket timed out',
  'temporarily unable',
  'Slurm temporarily unable to accept job',
  'Zero Bytes were transmitted',
];

/**
 * Writes the job's batch script into its run dir and submits it with sbatch. Resolves to the
 * Slurm job id. Throws SlurmRefusedError when Slurm refuses the request itself, and
 * SlurmCommandError when Slurm could not be asked.
 */
export async function submitBatchJob(cli: SlurmCli, input: BatchScriptInput): Promise<string> {
  await mkdir(input.runDir, { recursive: true, mode: 0o700 });
  const script = join(input.runDir, 'job.sh');
  // Whole or not at all: a node must never run half a script.
  await writeFile(`${script}.tmp`, batchScript(input), { mode: 0o700 });
  await rename(`${script}.tmp`, script);
  let out: string;
  try {
    out = await cli.run('sbatch', [...sbatchArgs(input), script]);
  } catch (error) {
    if (
      error instanceof SlurmCommandError &&
      !error.timedOut &&
      !TRANSIENT.some((text) => error.reason.includes(text))
    ) {
      throw new SlurmRefusedError(error.reason);
    }
    throw error;
  }
  // --parsable prints "<id>" or "<id>;<cluster>".
  const jobId = out.trim().split(';')[0] ?? '';
  if (!/^\d+$/.test(jobId)) throw new Error(`sbatch printed no job id: ${out.trim()}`);
  return jobId;
}
