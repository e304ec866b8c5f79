import { z } from 'zod';

export const JobLogsResponseSchema = z.object({ logs: z.string() }).strict();
export type JobLogsResponse = z.infer<typeof JobLogsResponseSchema>;

export const VersionResponseSchema = z
  .object({
    /** Version of the REST API's wire format. */
    version: z.string(),
    /** Version of the server package answering. */
    server_version: z.string(),
  })
  .strict();
export type VersionResponse = z.infer<typeof VersionResponseSchema>;
