import type { Allocation } from './resourcePool.js';

/** Variables telling a driver what it was given, so it can size its thread pools and pick its devices. */
export function allocationEnv(
  submissionId: string,
  allocation: Allocation,
): Record<string, string> {
  const env: Record<string, string> = {
    JOBS_SUBMISSION_ID: submissionId,
    JOBS_NUM_CPUS: String(allocation.cpus),
    JOBS_NUM_GPUS: String(allocation.gpuIndices.length),
    JOBS_MEMORY_BYTES: String(allocation.memoryBytes),
    JOBS_RESOURCES: JSON.stringify(allocation.custom),
  };
  if (allocation.gpuIndices.length > 0) env.CUDA_VISIBLE_DEVICES = allocation.gpuIndices.join(',');
  return env;
}
