import { z } from 'zod';
import { withOpenApi } from './openApiSchema.js';

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

/**
 * A byte offset in a log. Not nullable, whatever the generator infers from null coercing to 0: a
 * query string has no null.
 */
function byteOffset(description: string) {
  return withOpenApi(z.coerce.number().int().min(0).optional().describe(description), {
    type: 'integer',
    minimum: 0,
    nullable: false,
  });
}

export const JobLogsQuerySchema = z
  .object({
    tail: z.coerce
      .number()
      .int()
      .min(1)
      .max(1_000_000)
      .optional()
      .describe('Only the last N lines.'),
    offset: byteOffset('Byte offset to read from.'),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_LOG_READ_BYTES)
      .optional()
      .describe('Bytes to read from `offset` (default and maximum 16 MiB).'),
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
    offset: byteOffset(
      'Byte offset to start from (a reconnecting EventSource sends Last-Event-ID instead).',
    ),
  })
  .strict();

/** Data of a `log` event of the log stream; the event's id is `end`, the offset to resume from. */
export const LogStreamChunkSchema = z
  .object({ start: z.number().int(), text: z.string() })
  .strict();
export type LogStreamChunk = z.infer<typeof LogStreamChunkSchema>;
