import type { JobsContract, PackagesContract } from '@jobs/contract';

/** What a token may do; each role includes everything the weaker ones may. */
export const roles = ['read', 'submit', 'admin'] as const;
export type Role = (typeof roles)[number];

export function roleAllows(held: Role, needed: Role): boolean {
  return roles.indexOf(held) >= roles.indexOf(needed);
}

/**
 * The role each API route needs. Typed over the contract so that a new route does not compile
 * until someone decides who may call it.
 */
export const routeRoles: Record<keyof JobsContract, Role> = {
  listJobs: 'read',
  getJob: 'read',
  getJobTiming: 'read',
  getJobLogs: 'read',
  streamJobLogs: 'read',
  getJobSummary: 'read',
  streamJobEvents: 'read',
  getVersion: 'read',
  submitJob: 'submit',
  stopJob: 'submit',
  deleteJob: 'admin',
};

/** Packages are uploaded to be submitted; asking for one marks it used, so both need submit. */
export const packageRouteRoles: Record<keyof PackagesContract, Role> = {
  getPackage: 'submit',
  uploadPackage: 'submit',
};

/** Scraping metrics reveals job counts, so it takes a token like reading jobs does. */
export const metricsRole: Role = 'read';
