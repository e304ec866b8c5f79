import { operationsContract } from '@jobs/contract';
import { initServer } from '@ts-rest/express';
import type { JobsMetrics } from '../metrics/jobsMetrics.js';

const s = initServer();

export interface OperationsDeps {
  metrics: JobsMetrics;
  /** True when the store answers and jobs can be started; details go to the log, not the caller. */
  isReady: () => Promise<boolean>;
}

export function createOperationsRouter({ metrics, isReady }: OperationsDeps) {
  return s.router(operationsContract, {
    getHealth: () => Promise.resolve({ status: 200 as const, body: { status: 'ok' as const } }),
    getReadiness: async () =>
      (await isReady())
        ? { status: 200 as const, body: { status: 'ready' as const } }
        : {
            status: 503 as const,
            body: { code: 'NOT_READY' as const, message: 'The server is not ready.' },
          },
    getMetrics: async () => ({ status: 200 as const, body: await metrics.render() }),
  });
}
