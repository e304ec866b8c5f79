import { API_VERSION, jobsContract } from '@jobs/contract';
import { initServer } from '@ts-rest/express';
import type { JobListing } from '../jobs/jobListing.js';
import type { JobService } from '../jobs/jobService.js';
import { createJobListRoutes } from './jobListRoutes.js';

const s = initServer();

/** One handler per route of the contract; errors are thrown and mapped in http/errorResponse.ts. */
export function createJobsRouter(jobs: JobService, listing: JobListing, serverVersion: string) {
  return s.router(jobsContract, {
    ...createJobListRoutes(listing),
    submitJob: async ({ body }) => ({
      status: 200,
      body: { submission_id: await jobs.submit(body) },
    }),
    getJob: async ({ params }) => ({ status: 200, body: await jobs.get(params.submission_id) }),
    stopJob: async ({ params }) => ({ status: 200, body: await jobs.stop(params.submission_id) }),
    deleteJob: async ({ params }) => ({
      status: 200,
      body: await jobs.delete(params.submission_id),
    }),
    getJobLogs: async ({ params }) => ({
      status: 200,
      body: { logs: await jobs.logs(params.submission_id) },
    }),
    getVersion: () =>
      Promise.resolve({
        status: 200 as const,
        body: { version: API_VERSION, server_version: serverVersion },
      }),
  });
}
