import { jobsContract } from '@jobs/contract';
import { createExpressEndpoints } from '@ts-rest/express';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createApiDocsRouter } from './http/apiDocs.js';
import { type AccessOptions, accessControl } from './access/accessControl.js';
import type { AuditObserver } from './audit/auditRecord.js';
import { createReadLimits } from './http/concurrencyLimit.js';
import { errorHandler, notFoundHandler, requireJsonBody } from './http/errorResponse.js';
import { inSequence } from './http/inSequence.js';
import { createJobsRouter } from './http/jobsRouter.js';
import { PageAnswers } from './http/pageAnswers.js';
import type { RequestCrowding } from './http/requestCrowding.js';
import { requestPacer } from './http/requestPacer.js';
import { streamAdmission } from './http/streamAdmission.js';
import { createPackagesRouter } from './http/packagesRouter.js';
import type { PackageStore } from './packages/packageStore.js';
import { createWebAppRouter, findWebAppDir } from './http/webApp.js';
import {
  type OperationsDeps,
  createOperationsRouter,
  metricsRoute,
  probesContract,
} from './http/operationsRouter.js';
import type { JobListing } from './jobs/jobListing.js';
import type { JobService } from './jobs/jobService.js';
import { requestLog } from './logging/requestLog.js';
import { httpMetrics } from './metrics/httpMetrics.js';

export interface AppDeps {
  jobs: JobService;
  /** Lists, counts and change events over all jobs. */
  listing: JobListing;
  logger: Logger;
  serverVersion: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Uploaded working directories (Ray's package API). */
  packages: PackageStore;
  /** Check every response against the contract (on in tests; costs time on large lists). */
  validateResponses: boolean;
  access: AccessOptions;
  /** Told of every submit, stop and delete, refused ones included. */
  auditObservers: readonly AuditObserver[];
  operations: OperationsDeps;
  /** Most log and event streams open at once. */
  maxLogStreams: number;
  /** Most log reads (whole logs, tails, ranges) in progress at once. */
  maxConcurrentLogReads: number;
  /** Told how requests arrive, for job starts to give way to a crowd of them. */
  crowding?: RequestCrowding;
}

/** The HTTP API as an Express app, with everything it needs passed in. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  const endpointOptions = {
    logInitialization: false,
    jsonQuery: false,
    responseValidation: deps.validateResponses,
  };
  const { getMetrics: metricsHandler, ...probeHandlers } = createOperationsRouter(deps.operations);
  // Probes first, before the request log, metrics and anything that waits on I/O (the
  // dashboard's files are looked up on disk): a probe is then answered in the event loop turn
  // that reads it, for the cost of routing alone, not after the crowd of requests that arrived
  // with it. They need no token and say nothing but a status; they are neither logged nor timed.
  createExpressEndpoints(probesContract, probeHandlers, app, endpointOptions);
  const limits = createReadLimits(deps.maxLogStreams, deps.maxConcurrentLogReads);
  // Before access control: the page must load without a token to be able to ask for one.
  // Only outside /api/: the files are looked up on disk, which would cost every API request a stat.
  const webApp = createWebAppRouter(deps.logger, findWebAppDir());
  app.use(
    inSequence(
      streamAdmission(limits.streams),
      requestPacer(undefined, deps.crowding),
      requestLog(app, deps.logger),
      httpMetrics(deps.operations.metrics),
      (req, res, next) => {
        if (req.path.startsWith('/api/')) next();
        else webApp(req, res, next);
      },
    ),
  );
  app.use(accessControl(deps.access, deps.auditObservers));
  // Right after access control: an unchanged page needs nothing further down.
  const pageAnswers = new PageAnswers(() => deps.listing.storeVersion());
  app.get(jobsContract.listJobs.path, pageAnswers.serve());
  // Before the JSON parser: a package body is streamed to disk whatever its content type.
  app.use(createPackagesRouter(deps.packages));
  app.post('/api/jobs', requireJsonBody);
  app.use(express.json({ limit: deps.maxBodyBytes }));
  createExpressEndpoints(
    { getMetrics: metricsRoute },
    { getMetrics: metricsHandler },
    app,
    endpointOptions,
  );
  const router = createJobsRouter(deps.jobs, deps.listing, deps.serverVersion, limits, pageAnswers);
  createExpressEndpoints(jobsContract, router, app, {
    ...endpointOptions,
    requestValidationErrorHandler: (error, _req, _res, next) => {
      next(error);
    },
  });
  app.use(createApiDocsRouter());
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
