import { z } from 'zod';
import { JobActivitySchema, JobStatusCountsSchema } from './jobActivity.js';
import { JobDetailsSchema } from './jobDetails.js';
import { type JobStatus, JobStatusSchema, jobStatuses } from './jobStatus.js';
import { withOpenApi } from './openApiSchema.js';

/** Query keys of the form `metadata.<key>=<value>` filter on one metadata entry each. */
export const METADATA_FILTER_PREFIX = 'metadata.';

/** Most metadata filters one list or summary may combine (each is one more lookup per job). */
export const MAX_METADATA_FILTERS = 20;

/** Longest search text `q` accepts. */
export const MAX_SEARCH_CHARS = 256;

/** Largest page `limit` accepts. */
export const MAX_PAGE_LIMIT = 1000;

/**
 * A whole number given as a number (typed clients) or as its decimal digits (query strings).
 * Typed as a number: a typed client has no reason to send digits.
 */
function wholeNumber(min: number, max: number, meaning: string) {
  return withOpenApi(
    z
      .custom<number>(
        (value) =>
          typeof value === 'number' || (typeof value === 'string' && /^\d{1,16}$/.test(value)),
        { message: `must be ${meaning}` },
      )
      .transform(Number)
      .pipe(z.number().int().min(min).max(max)),
    { type: 'integer', minimum: min, maximum: max },
  );
}

/** One status or several, comma-separated, as typed clients may write them. */
export type JobStatusFilter = JobStatus | `${JobStatus},${string}`;

/** The `status` query for any of `statuses`; undefined (no filter) for none. */
export function statusFilter(statuses: readonly JobStatus[]): JobStatusFilter | undefined {
  const [first, ...rest] = statuses;
  if (first === undefined) return undefined;
  return rest.length === 0 ? first : `${first},${rest.join(',')}`;
}

const statusNames = jobStatuses.join('|');

const StatusListSchema = withOpenApi(
  z
    .custom<JobStatusFilter>((value) => typeof value === 'string', {
      message: `must be comma-separated statuses, from ${jobStatuses.join(', ')}`,
    })
    .transform((value, ctx): JobStatus[] => {
      const statuses = new Set<JobStatus>();
      for (const part of value.split(',')) {
        const parsed = JobStatusSchema.safeParse(part.trim());
        if (parsed.success) statuses.add(parsed.data);
        else {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `has '${part}', which is not one of ${jobStatuses.join(', ')}`,
          });
        }
      }
      return [...statuses];
    })
    .pipe(z.array(JobStatusSchema))
    .describe(`Comma-separated statuses (${jobStatuses.join(', ')}), e.g. PENDING,RUNNING.`),
  { type: 'string', pattern: `^ *(${statusNames}) *(, *(${statusNames}) *)*$` },
);

const filterShape = {
  status: StatusListSchema.optional(),
  submitted_after: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'milliseconds since the epoch')
    .optional()
    .describe('Only jobs submitted strictly after this time (ms since the epoch).'),
  submitted_before: wholeNumber(0, Number.MAX_SAFE_INTEGER, 'milliseconds since the epoch')
    .optional()
    .describe('Only jobs submitted strictly before this time (ms since the epoch).'),
  q: z
    .string()
    .min(1, 'must not be empty')
    .max(MAX_SEARCH_CHARS, `must be at most ${MAX_SEARCH_CHARS} characters long`)
    .optional()
    .describe('Case-insensitive substring of submission_id or entrypoint.'),
};

/**
 * Adds the metadata filter, given as `metadata.<key>=<value>` (one key each) or, as typed
 * clients send it, `metadata[<key>]=<value>`; any other unknown key is refused.
 */
function withMetadataFilters<T extends z.ZodRawShape>(shape: T) {
  const base = z.object({
    ...shape,
    metadata: z
      .record(z.string(), z.string())
      .optional()
      .describe(
        `Exact metadata matches, at most ${MAX_METADATA_FILTERS}; also accepted as metadata.<key>=<value>.`,
      ),
  });
  const known = new Set(Object.keys(base.shape));
  const schema = base.passthrough().transform((query, ctx) => {
    const metadata: Record<string, string> = { ...query.metadata };
    const given: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(query)) {
      if (known.has(key)) {
        given[key] = value;
      } else if (
        key.startsWith(METADATA_FILTER_PREFIX) &&
        key.length > METADATA_FILTER_PREFIX.length
      ) {
        if (typeof value === 'string') metadata[key.slice(METADATA_FILTER_PREFIX.length)] = value;
        else {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            path: [key],
            message: 'must be given once, as a plain value',
          });
        }
      } else {
        ctx.addIssue({ code: z.ZodIssueCode.unrecognized_keys, keys: [key] });
      }
    }
    const filters = Object.keys(metadata).length;
    if (filters > MAX_METADATA_FILTERS) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['metadata'],
        message: `has ${filters} filters, more than the limit of ${MAX_METADATA_FILTERS}`,
      });
    }
    return { ...(given as z.output<typeof base>), metadata };
  });
  // Typed as the plain object it accepts: the passthrough (needed for metadata.<key>) would
  // otherwise give clients an index signature and make every argument look required.
  return schema as unknown as z.ZodType<
    z.output<typeof schema>,
    z.ZodTypeDef,
    z.input<typeof base>
  >;
}

/** Filters shared by the list and the summary. */
export const JobFilterQuerySchema = withMetadataFilters(filterShape);
export type JobFilterQuery = z.output<typeof JobFilterQuerySchema>;

/** Whether this JavaScript runtime knows `name` as an IANA time zone. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The summary's query: the list's filters, whether to add the activity chart's data, and the
 * time zone of its bars.
 */
export const JobSummaryQuerySchema = withMetadataFilters({
  ...filterShape,
  // Typed as a boolean for typed clients; a query string brings its text.
  activity: withOpenApi(
    z
      .custom<boolean>(
        (value) => typeof value === 'boolean' || value === 'true' || value === 'false',
        {
          message: 'must be true or false',
        },
      )
      .transform((value: unknown) => value === true || value === 'true')
      .pipe(z.boolean()),
    { type: 'boolean' },
  )
    .optional()
    .describe(
      'true adds `activity`: jobs submitted per hour or day by status, and their durations.',
    ),
  time_zone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone name, e.g. Europe/Berlin or UTC')
    .optional()
    .describe(
      "IANA time zone whose midnights the activity's day-wide and wider bars start at; UTC when not given.",
    ),
});
export type JobSummaryQuery = z.output<typeof JobSummaryQuerySchema>;

/**
 * The orders the list can come in. `newest` and `oldest` go by submission; `longest` and
 * `shortest` by run duration (end_time - start_time) of the jobs that have ended, followed by
 * the jobs that have not ended, newest first. Ties go by submission: newer first in `longest`,
 * older first in `shortest`, so every order is total.
 */
export const jobListOrders = ['newest', 'oldest', 'longest', 'shortest'] as const;
export type JobListOrder = (typeof jobListOrders)[number];

export const JobListOrderSchema = z
  .enum(jobListOrders, {
    errorMap: () => ({ message: `must be one of ${jobListOrders.join(', ')}` }),
  })
  .describe(
    'newest (the default) or oldest: by submission time; longest or shortest: by run duration (end_time - start_time) of ended jobs, then the jobs that have not ended, newest first.',
  );

export const ListJobsQuerySchema = withMetadataFilters({
  ...filterShape,
  order: JobListOrderSchema.optional(),
  limit: wholeNumber(1, MAX_PAGE_LIMIT, `a whole number from 1 to ${MAX_PAGE_LIMIT}`)
    .optional()
    .describe('Page size; without it every matching job is returned.'),
  cursor: z
    .string()
    .min(1, 'must not be empty')
    .optional()
    .describe('Where the next page starts, as given by the Link header of the previous page.'),
});
export type ListJobsQuery = z.output<typeof ListJobsQuerySchema>;

/**
 * Most jobs a filtered summary reads (newest first, from the index its filter leads with); a
 * summary by status alone, or of all jobs, is exact whatever their number.
 */
export const SUMMARY_SCAN_LIMIT = 10_000;

export const JobSummarySchema = z
  .object({
    total: z.number().int().nonnegative(),
    by_status: JobStatusCountsSchema,
    capped: z
      .boolean()
      .describe(
        `True when the filter had ${SUMMARY_SCAN_LIMIT.toLocaleString('en-US')} candidate jobs or more: only the newest ${SUMMARY_SCAN_LIMIT.toLocaleString('en-US')} were read, so total and every count are lower bounds (show them as "N+"). False when the counts are exact; always false without filters or with a status filter alone.`,
      ),
    activity: JobActivitySchema.optional().describe(
      `Only with activity=true. Read from at most ${SUMMARY_SCAN_LIMIT.toLocaleString('en-US')} newest candidate jobs, like a filtered count, whatever the filter.`,
    ),
  })
  .strict();
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const jobEventTypes = ['created', 'status_changed', 'updated', 'deleted'] as const;
export const JobEventTypeSchema = z.enum(jobEventTypes);
export type JobEventType = z.infer<typeof JobEventTypeSchema>;

/**
 * The `data` of one server-sent event of GET /api/job-events; the event's `id` is `event_id`.
 * `job` is the job as it was right after the change (for `deleted`: right before it).
 */
export const JobEventSchema = z
  .object({
    event_id: z.number().int().positive(),
    type: JobEventTypeSchema,
    job: JobDetailsSchema,
  })
  .strict();
export type JobEvent = z.infer<typeof JobEventSchema>;

/**
 * The `data` of a `reset` event of GET /api/job-events (its `id` is `last_event_id`): the changes
 * after the Last-Event-ID sent are no longer kept (only the latest ones are), or that id is not
 * one of this store's. Whatever the client read before may be stale and should be read again;
 * the stream goes on with the changes after `last_event_id`.
 */
export const JobEventsResetSchema = z
  .object({ last_event_id: z.number().int().nonnegative() })
  .strict();
export type JobEventsReset = z.infer<typeof JobEventsResetSchema>;

export const JobEventsHeadersSchema = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,16}$/, 'must be the id of an event this server sent')
    .optional(),
  'x-jobs-store': z
    .string()
    .max(64, 'must be the X-Jobs-Store value of an earlier answer')
    .optional()
    .describe(
      'The X-Jobs-Store header of the stream being resumed: when the server now has another store (its data dir was replaced), the stream starts with a reset instead of resuming in another history.',
    ),
});

/** Response header of GET /api/job-events naming the store its event ids belong to. */
export const JOBS_STORE_HEADER = 'x-jobs-store';
