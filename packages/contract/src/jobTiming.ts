import { z } from 'zod';

const epochMs = z.number().int().nonnegative();

/**
 * When a job was submitted, started running and ended, in ms since the epoch: how long it
 * queued and how long it ran. Kept apart from JobDetails, whose keys are Ray's.
 */
export const JobTimingSchema = z
  .object({
    submitted_at: epochMs.describe('When the job was accepted (JobDetails.start_time).'),
    running_at: epochMs
      .nullable()
      .describe(
        'When it started running; null while it is pending, if it never ran, or if it ran before this server recorded the time.',
      ),
    ended_at: epochMs.nullable().describe('When it ended (JobDetails.end_time); null before.'),
  })
  .strict();
export type JobTiming = z.infer<typeof JobTimingSchema>;
