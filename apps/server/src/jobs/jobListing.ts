import { createHash } from 'node:crypto';
import {
  type JobDetails,
  type JobSummary,
  type JobSummaryQuery,
  type JobTiming,
  type ListJobsQuery,
  SUMMARY_SCAN_LIMIT,
} from '@jobs/contract';
import { JobNotFoundError } from '../errors.js';
import type { JobQueries, StoreVersion } from '../store/jobQueries.js';
import { type JobEventsItem, followJobEvents } from './followJobEvents.js';
import { jobActivity } from './jobActivity.js';
import { utcCalendar, zoneCalendar } from './zoneCalendar.js';
import { decodeListCursor, encodeListCursor } from './listCursor.js';
import { RecentPages } from './recentPages.js';
import { toJobDetails } from './toJobDetails.js';
import { toJobFilter } from './toJobFilter.js';

/** Jobs the recently served pages may hold together (a few MiB). */
const RECENT_PAGE_JOBS = 5_000;

export interface JobListPage {
  jobs: JobDetails[];
  /** Cursor of the next page; undefined on the last one. */
  nextCursor: string | undefined;
}

/** Lists, counts and change events over all jobs, independent of HTTP. */
export class JobListing {
  private readonly recentPages = new RecentPages<JobListPage>(RECENT_PAGE_JOBS);

  constructor(
    private readonly queries: JobQueries,
    private readonly serverVersion: string,
  ) {}

  /**
   * A validator of the answer to `request`: it changes whenever any job changes, so an unchanged
   * one proves the answer unchanged without building it. Read it before the jobs themselves.
   */
  async entityTag(request: unknown): Promise<string> {
    return this.entityTagAt(await this.queries.version(), request);
  }

  /** entityTag() at a store version read before (storeVersion()). */
  entityTagAt({ storeId, lastEventId }: StoreVersion, request: unknown): string {
    const digest = createHash('sha256')
      .update(JSON.stringify([storeId, this.serverVersion, request]))
      .digest('base64url')
      .slice(0, 16);
    return `"${lastEventId}-${digest}"`;
  }

  /** One page; `tag` is the page's entityTag(), read before it, under which it may be reused. */
  async page(query: ListJobsQuery & { limit: number }, tag: string): Promise<JobListPage> {
    const recent = this.recentPages.get(tag);
    if (recent !== undefined) return recent;
    const order = query.order ?? 'newest';
    const filter = toJobFilter(query);
    const after =
      query.cursor === undefined ? undefined : decodeListCursor(query.cursor, order, filter);
    const page = await this.queries.listPage(filter, { order, after, limit: query.limit });
    const result = {
      jobs: page.jobs.map(toJobDetails),
      nextCursor: page.next === undefined ? undefined : encodeListCursor(order, filter, page.next),
    };
    this.recentPages.set(tag, result);
    return result;
  }

  /**
   * Every matching job in the order asked for (newest first by default): the JobDetails JSON
   * texts joined by commas, in pieces read one after another from the store.
   */
  all(query: ListJobsQuery): AsyncGenerator<string | Buffer> {
    const order = query.order ?? 'newest';
    const filter = toJobFilter(query);
    // Decoded up front so a bad cursor is a 400, not a broken stream.
    const after =
      query.cursor === undefined ? undefined : decodeListCursor(query.cursor, order, filter);
    return this.queries.listAllJson(filter, order, after);
  }

  async summary(query: JobSummaryQuery): Promise<JobSummary> {
    const { byStatus, capped } = await this.queries.countByStatus(
      toJobFilter(query),
      SUMMARY_SCAN_LIMIT,
    );
    const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
    const summary = { total, by_status: byStatus, capped };
    return query.activity === true ? { ...summary, activity: await this.activity(query) } : summary;
  }

  /** What the activity chart draws, from at most SUMMARY_SCAN_LIMIT candidate jobs. */
  private async activity(query: JobSummaryQuery): Promise<JobSummary['activity']> {
    const times = await this.queries.jobTimes(toJobFilter(query), SUMMARY_SCAN_LIMIT);
    return jobActivity(
      times.jobs,
      { after: query.submitted_after, before: query.submitted_before },
      times.capped,
      query.time_zone === undefined ? utcCalendar : zoneCalendar(query.time_zone),
    );
  }

  /** When the job was submitted, started running and ended. */
  async timing(submissionId: string): Promise<JobTiming> {
    const timing = await this.queries.jobTiming(submissionId);
    if (timing === undefined) throw new JobNotFoundError(submissionId);
    return {
      submitted_at: timing.startTime,
      running_at: timing.runningSince,
      ended_at: timing.endTime,
    };
  }

  /**
   * The store's identity and the id of its latest change so far (where a stream without
   * Last-Event-ID starts).
   */
  storeVersion(): Promise<StoreVersion> {
    return this.queries.version();
  }

  events(
    afterId: number,
    signal: AbortSignal,
    idleMs: number,
    resetFirst = false,
  ): AsyncGenerator<JobEventsItem> {
    return followJobEvents(this.queries, afterId, signal, idleMs, resetFirst);
  }
}
