import { type SubmitJobRequest, followJobLogs, okBody, waitForJob } from '@jobs/client';
import type { Command } from 'commander';
import type { CommandContext } from '../commandContext.js';
import { exitCodes } from '../exitCodes.js';
import { failureReason } from '../format/failureReason.js';
import { startStatusLine } from '../statusLine.js';
import { uploadLocalWorkingDir } from './localWorkingDir.js';
import { parseMemorySize } from './memorySize.js';
import { collectKeyValue, parseJsonObject, parseNonNegativeNumber } from './optionParsers.js';
import { readRuntimeEnvFile } from './runtimeEnvFile.js';
import { entrypointOf } from './shellWords.js';

interface SubmitOptions {
  submissionId?: string;
  runtimeEnv?: Record<string, unknown>;
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

/**
 * The submit body from the options. The runtime env is the file's, then the JSON's keys over it,
 * then --working-dir and --env.
 */
export function toSubmitRequest(entrypoint: string[], options: SubmitOptions): SubmitJobRequest {
  const runtimeEnv: Record<string, unknown> = { ...options.runtimeEnv, ...options.runtimeEnvJson };
  if (options.workingDir !== undefined) runtimeEnv.working_dir = options.workingDir;
  if (options.env) {
    const given = runtimeEnv.env_vars;
    const envVars = typeof given === 'object' && given !== null ? given : {};
    runtimeEnv.env_vars = { ...envVars, ...options.env };
  }
  // The API validates the JSON-given fields and names any wrong one in its answer.
  return {
    entrypoint: entrypointOf(entrypoint),
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
      "Submit a job whose entrypoint is what follows --, run by /bin/sh: one argument is a shell command as it is (-- 'python a.py && python b.py'), several are a command and its arguments, each passed on exactly as typed (-- python3 -c 'print(\"hi\")'). By default jobctl follows the log and exits 0 only if the job SUCCEEDED (1 otherwise, printing why); with --no-wait it prints the submission id and returns.",
    )
    .argument('<entrypoint...>', 'command after -- (e.g. -- python train.py --epochs 3)')
    .option('--submission-id <id>', 'id for the job (default: generated app-<uuid>)')
    .option(
      '--runtime-env <file.yaml>',
      "runtime environment from a YAML file, in Ray's format",
      readRuntimeEnvFile,
    )
    .option(
      '--runtime-env-json <json>',
      'runtime environment as a JSON object (its keys win over --runtime-env)',
      parseJsonObject,
    )
    .option(
      '--working-dir <dir>',
      'runtime_env.working_dir: a relative path (e.g. .) is a local directory, zipped and uploaded; an absolute path or URI is on the server',
    )
    .option('--env <KEY=VALUE>', 'environment variable for the job (repeatable)', collectKeyValue)
    .option('--metadata-json <json>', 'metadata as a JSON object of strings', parseJsonObject)
    .option('--entrypoint-num-cpus <n>', 'CPUs to reserve', parseNonNegativeNumber)
    .option('--entrypoint-num-gpus <n>', 'GPUs to reserve', parseNonNegativeNumber)
    .option(
      '--entrypoint-memory <size>',
      'memory to reserve: bytes, or 4G, 512Mi, 1.5GB',
      parseMemorySize,
    )
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
      // Why it ended so (its log, which the message quotes the end of, was followed above).
      const reason = failureReason(job);
      if (reason !== '') terminal.err(`${reason}\n`);
      context.setExitCode(job.status === 'SUCCEEDED' ? exitCodes.ok : exitCodes.notDone);
    });
}
