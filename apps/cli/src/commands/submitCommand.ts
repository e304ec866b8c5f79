import { type SubmitJobRequest, followJobLogs, okBody, waitForJob } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { exitCodes } from '../exitCodes.js';
import { startStatusLine } from '../statusLine.js';
import { uploadLocalWorkingDir } from './localWorkingDir.js';
import {
  collectKeyValue,
  parseCount,
  parseJsonObject,
  parseNonNegativeNumber,
} from './optionParsers.js';

interface SubmitOptions {
  submissionId?: string;
  runtimeEnvJson?: Record<string, unknown>;
  workingDir?: string;
  env?: Record<string, string>;
  metadataJson?: Record<string, unknown>;
  entrypointNumCpus?: number;
  entrypointNumGpus?: number;
  entrypointMemory?: number;
  entrypointResources?: Record<string, unknown>;
  wait: boolean;
}

/** The submit body from the options: --env and --working-dir go into the runtime env. */
export function toSubmitRequest(entrypoint: string[], options: SubmitOptions): SubmitJobRequest {
  const runtimeEnv: Record<string, unknown> = { ...options.runtimeEnvJson };
  if (options.workingDir !== undefined) runtimeEnv.working_dir = options.workingDir;
  if (options.env) {
    const given = runtimeEnv.env_vars;
    const envVars = typeof given === 'object' && given !== null ? given : {};
    runtimeEnv.env_vars = { ...envVars, ...options.env };
  }
  // The API validates the JSON-given fields and names any wrong one in its answer.
  return {
    entrypoint: entrypoint.join(' '),
    ...(options.submissionId !== undefined && { submission_id: options.submissionId }),
    ...(Object.keys(runtimeEnv).length > 0 && { runtime_env: runtimeEnv }),
    ...(options.metadataJson && { metadata: options.metadataJson }),
    ...(options.entrypointNumCpus !== undefined && {
      entrypoint_num_cpus: options.entrypointNumCpus,
    }),
    ...(options.entrypointNumGpus !== undefined && {
      entrypoint_num_gpus: options.entrypointNumGpus,
    }),
    ...(options.entrypointMemory !== undefined && { entrypoint_memory: options.entrypointMemory }),
    ...(options.entrypointResources && { entrypoint_resources: options.entrypointResources }),
  } as SubmitJobRequest;
}

export function registerSubmitCommand(program: Command, context: CommandContext): void {
  program
    .command('submit')
    .summary('submit a job, then follow its log until it ends')
    .description(
      'Submit a job whose entrypoint is the words after --, run by /bin/sh. By default jobctl follows the log and exits 0 only if the job SUCCEEDED (1 otherwise); with --no-wait it prints the submission id and returns.',
    )
    .argument('<entrypoint...>', 'shell command, after -- (e.g. -- python train.py --epochs 3)')
    .option('--submission-id <id>', 'id for the job (default: generated app-<uuid>)')
    .option('--runtime-env-json <json>', 'runtime environment as a JSON object', parseJsonObject)
    .option(
      '--working-dir <dir>',
      'runtime_env.working_dir: a relative path (e.g. .) is a local directory, zipped and uploaded; an absolute path or URI is on the server',
    )
    .option('--env <KEY=VALUE>', 'environment variable for the job (repeatable)', collectKeyValue)
    .option('--metadata-json <json>', 'metadata as a JSON object of strings', parseJsonObject)
    .option('--entrypoint-num-cpus <n>', 'CPUs to reserve', parseNonNegativeNumber)
    .option('--entrypoint-num-gpus <n>', 'GPUs to reserve', parseNonNegativeNumber)
    .option('--entrypoint-memory <bytes>', 'memory to reserve, in bytes', parseCount)
    .option('--entrypoint-resources <json>', 'custom resources as a JSON object', parseJsonObject)
    .option('--no-wait', 'print the submission id and return without waiting')
    .action(async (entrypoint: string[], options: SubmitOptions) => {
      const { terminal } = context;
      const client = context.client();
      const body = await uploadLocalWorkingDir(client, toSubmitRequest(entrypoint, options));
      const { submission_id: id } = okBody(await client.submitJob({ body }));
      if (!options.wait) {
        terminal.out(`${id}\n`);
        return;
      }
      terminal.err(
        `Job ${id} submitted; following its log (Ctrl-C stops following, not the job).\n`,
      );
      const status = startStatusLine(terminal, `job ${id} running`);
      try {
        for await (const chunk of followJobLogs(client, id)) status.write(chunk);
      } finally {
        status.stop();
      }
      const job = await waitForJob(client, id);
      const details = [
        job.driver_exit_code === null ? '' : `exit code ${job.driver_exit_code}`,
        job.error_type,
      ].filter(Boolean);
      terminal.err(`Job ${id} ${job.status}${details.length ? ` (${details.join(', ')})` : ''}\n`);
      context.setExitCode(job.status === 'SUCCEEDED' ? exitCodes.ok : exitCodes.notDone);
    });
}
