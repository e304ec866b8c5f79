import { initContract } from '@ts-rest/core';
import { z } from 'zod';
import { ErrorBodySchema } from './errors.js';

const c = initContract();

/** The text exposition format Prometheus scrapes. */
export const METRICS_CONTENT_TYPE = 'text/plain; charset=utf-8; version=0.0.4';

/**
 * Routes for whoever runs the server: probes for orchestrators and metrics for Prometheus.
 * The probes need no token and say nothing beyond up/ready.
 */
export const operationsContract = c.router(
  {
    getHealth: {
      method: 'GET',
      path: '/healthz',
      responses: {
        200: z.object({ status: z.literal('ok') }).strict(),
      },
      summary: 'The process is up',
    },
    getReadiness: {
      method: 'GET',
      path: '/readyz',
      responses: {
        200: z.object({ status: z.literal('ready') }).strict(),
        503: ErrorBodySchema,
      },
      summary: 'The store answers and jobs can be started',
    },
    getMetrics: {
      method: 'GET',
      path: '/metrics',
      responses: {
        200: c.otherResponse({ contentType: METRICS_CONTENT_TYPE, body: z.string() }),
        401: ErrorBodySchema,
        403: ErrorBodySchema,
        429: ErrorBodySchema,
        500: ErrorBodySchema,
      },
      summary:
        'Metrics in the Prometheus text format (needs a read token when tokens are configured)',
    },
  },
  { strictStatusCodes: true },
);

export type OperationsContract = typeof operationsContract;
