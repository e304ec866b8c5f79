import { operationsContract } from '@jobs/contract';
import { initServer } from '@ts-rest/express';
import type { JobsMetrics } from '../metrics/jobsMetrics.js';

const s = initServer();

/** What the health probes answer from. */
export interface ProbeDeps {
  /** True when the store answers and jobs can be started; details go to the log, not the caller. */
  isReady: () => Promise<boolean>;
  /**
   * Resolves once the server's thread is known to be turning, for probes answered on another
   * thread (see http/probeThread.ts), or once `gone` aborts: the probe's client has gone, and
   * nothing is left to answer. On the server's own thread an answer is proof enough.
   */
  untilAlive?: (gone: AbortSignal) => Promise<void>;
}

export interface OperationsDeps extends ProbeDeps {
  metrics: JobsMetrics;
}

/** The probes of operationsContract: every route of it but the metrics. */
export const { getMetrics: metricsRoute, ...probesContract } = operationsContract;

export function createProbeHandlers({ isReady, untilAlive }: ProbeDeps) {
  return s.router(probesContract, {
    getHealth: async ({ res }) => {
      if (untilAlive !== undefined) {
        // Before the answer, a closed response means a closed connection.
        const gone = new AbortController();
        res.once('close', () => {
          gone.abort();
        });
        await untilAlive(gone.signal);
      }
      return { status: 200 as const, body: { status: 'ok' as const } };
    },
    getReadiness: async () =>
      (await isReady())
        ? { status: 200 as const, body: { status: 'ready' as const } }
        : {
            status: 503 as const,
            body: { code: 'NOT_READY' as const, message: 'The server is not ready.' },
          },
  });
}

export function createOperationsRouter(deps: OperationsDeps) {
  return s.router(operationsContract, {
    ...createProbeHandlers(deps),
    getMetrics: async () => ({ status: 200 as const, body: await deps.metrics.render() }),
  });
}
