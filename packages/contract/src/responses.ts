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

/** Largest log range one request may read. */
export const MAX_LOG_READ_BYTES = 16 * 1024 * 1024;

export const JobLogsQuerySchema = z
  .object({
    /** Only the last N lines. */
    tail: z.coerce.number().int().min(1).max(1_000_000).optional(),
    /** Byte offset to read from. */
    offset: z.coerce.number().int().min(0).optional(),
    /** Bytes to read from `offset` (default and maximum 16 MiB). */
    limit: z.coerce.number().int().min(1).max(MAX_LOG_READ_BYTES).optional(),
  })
  .strict()
  .superRefine((query, ctx) => {
    if (query.tail !== undefined && (query.offset !== undefined || query.limit !== undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['tail'],
        message: 'cannot be combined with offset or limit',
      });
    }
  });
export type JobLogsQuery = z.input<typeof JobLogsQuerySchema>;

export const JobLogStreamQuerySchema = z
  .object({
    /** Byte offset to start from (a reconnecting EventSource sends Last-Event-ID instead). */
    offset: z.coerce.number().int().min(0).optional(),
  })
  .strict();

/** Data of a `log` event of the log stream; the event's id is `end`, the offset to resume from. */
export const LogStreamChunkSchema = z
  .object({ start: z.number().int(), text: z.string() })
  .strict();
export type LogStreamChunk = z.infer<typeof LogStreamChunkSchema>;
