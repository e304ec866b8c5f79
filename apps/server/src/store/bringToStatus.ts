import type { JobStatus } from '@jobs/contract';
import type { JobStore } from './jobStore.js';

/**
 * Takes a PENDING job of `store` to `status` the way a runner would (RUNNING with a driver,
 * then ended at `endTime`): for the store suites, which seed jobs in every status.
 */
export async function bringToStatus(
  store: JobStore,
  id: string,
  status: JobStatus,
  endTime = 9_000,
): Promise<void> {
  if (status === 'PENDING') return;
  const driver = { ref: '7:1', id, pid: '7', nodeIp: '10.0.0.1', nodeId: '' };
  await store.markRunning(id, driver, 'Running.');
  if (status === 'RUNNING') return;
  await store.finish(id, {
    status,
    message: `Ended ${status}.`,
    exitCode: status === 'SUCCEEDED' ? 0 : 1,
    errorType: status === 'FAILED' ? 'JOB_ENTRYPOINT_COMMAND_ERROR' : '',
    endTime,
  });
}
