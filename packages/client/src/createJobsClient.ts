import { jobsContract } from '@jobs/contract';
import { initClient } from '@ts-rest/core';

export interface JobsClientOptions {
  /** Where the Jobs API is, e.g. "http://127.0.0.1:9080". */
  baseUrl: string;
  /** Sent with every request, e.g. `{ authorization: 'Bearer …' }`. */
  headers?: Record<string, string>;
  /**
   * Check every answer's body against the contract and throw when it does not conform (e.g.
   * another server answered): a tool talking to an address a user typed wants this; a
   * dashboard reading large lists may not.
   */
  validateResponses?: boolean;
}

/**
 * A typed client of every route in the contract. Each method resolves to `{ status, body }`
 * with the body typed for that status. It uses the global fetch only, so it runs in Node 20
 * and in browsers.
 */
export function createJobsClient(options: JobsClientOptions) {
  const connection = {
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: options.headers ?? {},
  } as const;
  const routes = initClient(jobsContract, {
    baseUrl: connection.baseUrl,
    baseHeaders: connection.headers,
    throwOnUnknownStatus: true,
    validateResponse: options.validateResponses ?? false,
  });
  // Streaming routes (Server-Sent Events) are read with fetch directly, from the same place.
  return Object.assign(routes, { connection });
}

export type JobsClient = ReturnType<typeof createJobsClient>;
