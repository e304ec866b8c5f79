import { randomUUID } from 'node:crypto';
import { jobsContract } from '@jobs/contract';
import { createExpressEndpoints } from '@ts-rest/express';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import { errorHandler, notFoundHandler, requireJsonBody } from './http/errorResponse.js';
import { createJobsRouter } from './http/jobsRouter.js';
import type { JobListing } from './jobs/jobListing.js';
import type { JobService } from './jobs/jobService.js';

export interface AppDeps {
  jobs: JobService;
  /** Lists, counts and change events over all jobs. */
  listing: JobListing;
  logger: Logger;
  serverVersion: string;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** Check every response against the contract (on in tests; costs time on large lists). */
  validateResponses: boolean;
}

/** The HTTP API as an Express app, with everything it needs passed in. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
    }),
  );
  app.post('/api/jobs', requireJsonBody);
  app.use(express.json({ limit: deps.maxBodyBytes }));
  const router = createJobsRouter(deps.jobs, deps.listing, deps.serverVersion);
  createExpressEndpoints(jobsContract, router, app, {
    logInitialization: false,
    jsonQuery: false,
    responseValidation: deps.validateResponses,
    requestValidationErrorHandler: (error, _req, _res, next) => {
      next(error);
    },
  });
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
