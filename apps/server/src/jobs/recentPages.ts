/**
 * The last pages served, by entity tag. A tag names a query at one version of the whole store,
 * so an entry never goes stale: once any job changes, its tag is never asked for again and the
 * entry just ages out. Dashboards polling the same page are served without reading the store.
 */
export class RecentPages<T extends { jobs: readonly unknown[] }> {
  private readonly pages = new Map<string, T>();
  private heldJobs = 0;

  /** @param maxJobs how many jobs all kept pages may hold together */
  constructor(private readonly maxJobs: number) {}

  get(tag: string): T | undefined {
    const page = this.pages.get(tag);
    if (page !== undefined) {
      // Re-inserted: Map order is the eviction order, least recently used first.
      this.pages.delete(tag);
      this.pages.set(tag, page);
    }
    return page;
  }

  set(tag: string, page: T): void {
    if (page.jobs.length > this.maxJobs || this.pages.has(tag)) return;
    this.pages.set(tag, page);
    this.heldJobs += page.jobs.length;
    for (const [oldest, evicted] of this.pages) {
      if (this.heldJobs <= this.maxJobs) break;
      this.pages.delete(oldest);
      this.heldJobs -= evicted.jobs.length;
    }
  }
}
