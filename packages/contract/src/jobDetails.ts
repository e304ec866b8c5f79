import { z } from 'zod';
import { JobErrorTypeSchema } from './errorTypes.js';
import { JobStatusSchema } from './jobStatus.js';

/** A timestamp in milliseconds since the epoch, as a decimal string. */
const EpochMillisString = z.string().regex(/^\d+$/, 'must be milliseconds since the epoch');

export const DriverInfoSchema = z
  .object({
    /** Equal to the job's submission_id. */
    id: z.string(),
    /** "" until the driver starts. */
    node_ip_address: z.string(),
    /** The driver's process id as a string, "" until the driver starts. */
    pid: z.string(),
  })
  .strict();
export type DriverInfo = z.infer<typeof DriverInfoSchema>;

/** One job as the API shows it: every key always present, no other key. */
export const JobDetailsSchema = z
  .object({
    type: z.literal('SUBMISSION'),
    submission_id: z.string(),
    entrypoint: z.string(),
    driver_info: DriverInfoSchema,
    status: JobStatusSchema,
    message: z.string(),
    start_time: EpochMillisString,
    end_time: z.union([z.literal(''), EpochMillisString]),
    metadata: z.record(z.string(), z.string()),
    runtime_env: z.record(z.string(), z.unknown()),
    driver_agent_http_address: z.string(),
    driver_node_id: z.string(),
    driver_exit_code: z.number().int().nullable(),
    error_type: JobErrorTypeSchema,
  })
  .strict();
export type JobDetails = z.infer<typeof JobDetailsSchema>;
