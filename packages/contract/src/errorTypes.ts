import { z } from 'zod';

/**
 * The catalogue of `error_type` values a job can carry once it has FAILED.
 * `error_type` is "" for every job that did not fail.
 */
export const jobErrorTypes = {
  JOB_ENTRYPOINT_COMMAND_ERROR:
    'The entrypoint ran and exited with a non-zero code or was killed by a signal.',
  JOB_ENTRYPOINT_COMMAND_START_ERROR:
    'The entrypoint could not be started (the shell or the working directory is missing, the system refused to create a process).',
  JOB_UNSCHEDULABLE:
    'The job asks for more CPUs, GPUs, memory or custom resources than this node has in total, so it can never start.',
  JOB_START_TIMEOUT:
    'The job stayed PENDING, waiting for resources, for longer than the start timeout.',
  RUNTIME_ENV_SETUP_FAILURE:
    "Setting up the job's runtime_env (working_dir, pip) failed or timed out before the entrypoint started.",
  JOB_DRIVER_LOST:
    'The job server stopped while the job was pending or running and could not follow the driver to its end.',
} as const;

export type JobErrorType = keyof typeof jobErrorTypes;

export const JobErrorTypeSchema = z.union([
  z.literal(''),
  z.enum(Object.keys(jobErrorTypes) as [JobErrorType, ...JobErrorType[]]),
]);
