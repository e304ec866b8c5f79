import { z } from 'zod';

export const jobStatuses = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'] as const;

export const JobStatusSchema = z.enum(jobStatuses);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const terminalJobStatuses: readonly JobStatus[] = ['SUCCEEDED', 'FAILED', 'STOPPED'];

/** A terminal status never changes again. */
export function isTerminalStatus(status: JobStatus): boolean {
  return terminalJobStatuses.includes(status);
}
