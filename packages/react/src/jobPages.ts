import {
  type JobDetails,
  type JobEvent,
  type JobListFilter,
  type JobListOrder,
  isTerminalStatus,
  jobMatchesFilter,
} from '@jobs/client';

/** One page of a job list as read, then kept current by job events. */
export interface JobsPage {
  /** What the page was read with: changes are placed by the same rules. */
  filter: JobListFilter;
  order: JobListOrder;
  jobs: JobDetails[];
  /** Where the next page starts (from the `Link` header); undefined on the last page. */
  nextCursor: string | undefined;
  /**
   * The page's last job as read. Jobs the order puts after the last page's one belong to pages
   * not read yet (the cursor points past it), whatever has since left the page.
   */
  lastRead: JobDetails | undefined;
}

export function startedAt(job: JobDetails): number {
  return Number(job.start_time);
}

function runDuration(job: JobDetails): number | undefined {
  return job.end_time === '' ? undefined : Number(job.end_time) - startedAt(job);
}

/**
 * Where `order` lists `a` relative to `b` (negative: before), as the server does (see
 * jobListOrders of @jobs/contract); the submission time stands in for the store position that
 * breaks ties there.
 */
export function compareInOrder(order: JobListOrder, a: JobDetails, b: JobDetails): number {
  const newerFirst = startedAt(b) - startedAt(a);
  if (order === 'newest') return newerFirst;
  if (order === 'oldest') return -newerFirst;
  const da = runDuration(a);
  const db = runDuration(b);
  if (da === undefined || db === undefined) {
    if (da !== undefined) return -1;
    return db !== undefined ? 1 : newerFirst;
  }
  return order === 'longest' ? db - da || newerFirst : da - db || -newerFirst;
}

/** How far along a job is: a job only ever moves forward (PENDING, RUNNING, then the end). */
function progressOf(job: JobDetails): number {
  return isTerminalStatus(job.status) ? 2 : job.status === 'RUNNING' ? 1 : 0;
}

/**
 * The newer of two snapshots of one job. Snapshots can arrive out of order (a read answered
 * just before a change, its event just after), but a job never moves back, so a snapshot
 * behind the one shown never replaces it.
 */
export function newerSnapshot(current: JobDetails, incoming: JobDetails): JobDetails {
  return progressOf(incoming) < progressOf(current) ? current : incoming;
}

export function pageOf(
  filter: JobListFilter,
  jobs: JobDetails[],
  nextCursor: string | undefined,
  order: JobListOrder = 'newest',
): JobsPage {
  return { filter, order, jobs, nextCursor, lastRead: jobs.at(-1) };
}

function lastReadOf(pages: readonly JobsPage[]): JobDetails | undefined {
  for (let at = pages.length - 1; at >= 0; at -= 1) {
    const last = pages[at]?.lastRead;
    if (last !== undefined) return last;
  }
  return undefined;
}

function replacePage(pages: readonly JobsPage[], index: number, jobs: JobDetails[]): JobsPage[] {
  return pages.map((page, at) => (at === index ? { ...page, jobs } : page));
}

/**
 * The pages after one change to one job, as the server would list it under their filter and
 * order: a job that no longer matches leaves, one that now matches joins at its place (unless `insert`
 * is false: a page read after the first cannot tell where a new job goes). A job older than the
 * pages read while more remain is left for those pages, so none is listed twice. A listed job
 * that changes stays where it is, even where its end would move it in a duration order. Unchanged
 * pages are returned as they were.
 */
export function applyJobEventToPages(
  pages: JobsPage[],
  event: JobEvent,
  options: { insert: boolean },
): JobsPage[] {
  const id = event.job.submission_id;
  const pageIndex = pages.findIndex((page) => page.jobs.some((job) => job.submission_id === id));
  const page = pages[pageIndex];
  if (page !== undefined) {
    const index = page.jobs.findIndex((job) => job.submission_id === id);
    const current = page.jobs[index];
    const without = () => replacePage(pages, pageIndex, page.jobs.toSpliced(index, 1));
    if (current === undefined || event.type === 'deleted') return without();
    const job = newerSnapshot(current, event.job);
    if (!jobMatchesFilter(job, page.filter)) return without();
    if (job === current) return pages;
    return replacePage(pages, pageIndex, page.jobs.toSpliced(index, 1, job));
  }
  const last = pages.at(-1);
  const { job } = event;
  if (!options.insert || last === undefined || event.type === 'deleted') return pages;
  if (!jobMatchesFilter(job, last.filter)) return pages;
  const { order } = last;
  const lastRead = lastReadOf(pages);
  if (
    last.nextCursor !== undefined &&
    (lastRead === undefined || compareInOrder(order, job, lastRead) > 0)
  ) {
    return pages;
  }
  for (const [at, candidate] of pages.entries()) {
    const place = candidate.jobs.findIndex((other) => compareInOrder(order, job, other) < 0);
    if (place !== -1) return replacePage(pages, at, candidate.jobs.toSpliced(place, 0, job));
  }
  return replacePage(pages, pages.length - 1, [...last.jobs, job]);
}

/** The jobs of all pages in order, each once (a job may have reached two pages by events). */
export function jobsOfPages(pages: readonly JobsPage[]): JobDetails[] {
  const seen = new Set<string>();
  const jobs: JobDetails[] = [];
  for (const page of pages) {
    for (const job of page.jobs) {
      if (seen.has(job.submission_id)) continue;
      seen.add(job.submission_id);
      jobs.push(job);
    }
  }
  return jobs;
}
