import { operationsContract } from '@jobs/contract';
import { createExpressEndpoints } from '@ts-rest/express';
import express, { type Express } from 'express';
import { errorHandler, notFoundHandler } from './errorResponse.js';
import { type OperationsDeps, createOperationsRouter } from './operationsRouter.js';

/**
 * `/healthz` and `/readyz` alone, for a listener of their own. The server accepts one connection
 * per turn of its event loop, so on the API port a probe waits behind every connection queued
 * before it (seconds in a burst of thousands); a second listening socket has a queue of its own,
 * holding only probes. Served by the same handlers as on the API port; no request log, metrics or
 * tokens, as there: probes say nothing but a status.
 */
export function createProbeApp(operations: OperationsDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const { getMetrics: _metrics, ...probes } = operationsContract;
  const { getMetrics: _metricsHandler, ...probeHandlers } = createOperationsRouter(operations);
  createExpressEndpoints(probes, probeHandlers, app, {
    logInitialization: false,
    jsonQuery: false,
  });
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
