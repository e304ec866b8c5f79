import { createHash } from 'node:crypto';
import type { JobDetails, JobFilterQuery, JobSummary, ListJobsQuery } from '@jobs/contract';
import type { JobQueries, StoredJobEvent } from '../store/jobQueries.js';
import { followJobEvents } from './followJobEvents.js';
import { decodeListCursor, encodeListCursor } from './listCursor.js';
import { toJobDetails } from './toJobDetails.js';
import { toJobFilter } from './toJobFilter.js';

/** Jobs read from the store per step of an unpaged list: what the server holds at once. */
const STREAM_CHUNK = 500;

export interface JobListPage {
  jobs: JobDetails[];
  /** Cursor of the next page; undefined on the last one. */
  nextCursor: string | undefined;
}

/** Lists, counts and change events over all jobs, independent of HTTP. */
export class JobListing {
  constructor(
    private readonly queries: JobQueries,
    private readonly serverVersion: string,
  ) {}

  /**
   * A validator of the answer to `request`: it changes whenever any job changes, so an unchanged
   * one proves the answer unchanged without building it. Read it before the jobs themselves.
   */
  async entityTag(request: unknown): Promise<string> {
    const { storeId, lastEventId } = await this.queries.version();
    const digest = createHash('sha256')
      .update(JSON.stringify([storeId, this.serverVersion, request]))
      .digest('base64url')
      .slice(0, 16);
    return `"${lastEventId}-${digest}"`;
  }

  async page(query: ListJobsQuery & { limit: number }): Promise<JobListPage> {
    const before = query.cursor === undefined ? undefined : decodeListCursor(query.cursor);
    const page = await this.queries.listPage(toJobFilter(query), { before, limit: query.limit });
    return {
      jobs: page.jobs.map(toJobDetails),
      nextCursor: page.next === undefined ? undefined : encodeListCursor(page.next),
    };
  }

  /**
   * Every matching job, newest first, as JobDetails JSON texts in chunks read one after another
   * from the store.
   */
  all(query: ListJobsQuery): AsyncGenerator<string[]> {
    // Decoded up front so a bad cursor is a 400, not a broken stream.
    const before = query.cursor === undefined ? undefined : decodeListCursor(query.cursor);
    return this.chunks(query, before);
  }

  async summary(query: JobFilterQuery): Promise<JobSummary> {
    const byStatus = await this.queries.countByStatus(toJobFilter(query));
    const total = Object.values(byStatus).reduce((sum, count) => sum + count, 0);
    return { total, by_status: byStatus };
  }

  /** Id of the latest change so far: where a stream without Last-Event-ID starts. */
  async lastEventId(): Promise<number> {
    return (await this.queries.version()).lastEventId;
  }

  events(
    afterId: number,
    signal: AbortSignal,
    idleMs: number,
  ): AsyncGenerator<StoredJobEvent | undefined> {
    return followJobEvents(this.queries, afterId, signal, idleMs);
  }

  private async *chunks(query: ListJobsQuery, start: number | undefined): AsyncGenerator<string[]> {
    const filter = toJobFilter(query);
    let before = start;
    for (;;) {
      const page = await this.queries.listPageJson(filter, { before, limit: STREAM_CHUNK });
      yield page.items;
      if (page.next === undefined) return;
      before = page.next;
    }
  }
}
