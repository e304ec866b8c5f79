import { createExpressEndpoints } from '@ts-rest/express';
import express, { type Express } from 'express';
import { errorHandler, notFoundHandler } from './errorResponse.js';
import { type ProbeDeps, createProbeHandlers, probesContract } from './operationsRouter.js';

/**
 * `/healthz` and `/readyz` alone, for a listener of their own (see http/probeThread.ts). Served
 * by the same handlers as on the API port; no request log, metrics or tokens, as there: probes
 * say nothing but a status.
 */
export function createProbeApp(probes: ProbeDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  createExpressEndpoints(probesContract, createProbeHandlers(probes), app, {
    logInitialization: false,
    jsonQuery: false,
  });
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
