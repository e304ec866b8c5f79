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
    'The job asks for more CPUs, GPUs, memory or custom resources than this node (or, with Slurm, any node of the partition) has in total, so it can never start.',
  JOB_START_TIMEOUT:
    'The job stayed PENDING, waiting for resources, for longer than the start timeout.',
  RUNTIME_ENV_SETUP_FAILURE:
    "Setting up the job's runtime_env (working_dir, pip) failed or timed out before the entrypoint started.",
  JOB_DRIVER_LOST:
    'The job server stopped while the job was pending or running and could not follow the driver to its end.',
  JOB_NODE_FAILURE: 'The Slurm node running the job failed or was taken down under it (NODE_FAIL).',
  JOB_NODE_BOOT_FAILURE: 'The Slurm node picked for the job could not be booted (BOOT_FAIL).',
  JOB_OUT_OF_MEMORY:
    'Slurm killed the job for using more memory than it asked for (OUT_OF_MEMORY).',
  JOB_TIME_LIMIT:
    "Slurm ended the job at its partition's time limit or deadline (TIMEOUT, DEADLINE).",
  JOB_PREEMPTED: 'Slurm preempted the job for another one (PREEMPTED).',
  JOB_CANCELLED_EXTERNALLY:
    'The job was cancelled in Slurm (scancel, an administrator) without a stop request to this API.',
} as const;

export type JobErrorType = keyof typeof jobErrorTypes;

export const JobErrorTypeSchema = z.union([
  z.literal(''),
  z.enum(Object.keys(jobErrorTypes) as [JobErrorType, ...JobErrorType[]]),
]);
