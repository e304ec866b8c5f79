/** Requests let in within one turn of the event loop from which the API counts as crowded. */
const CROWD = 4;

/**
 * Whether requests have lately been arriving together: a burst of submissions from many
 * clients, not one client's requests one after another (a probe loop, a dashboard polling).
 * Told by the request pacer, which sees how many requests each turn of the event loop lets in;
 * read by whatever should give way to the API meanwhile (job starts).
 */
export class RequestCrowding {
  private lastCrowdedAt = -Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A request came in with `others` already let in or waiting in the same turn. */
  arrived(others: number): void {
    if (others + 1 >= CROWD) this.lastCrowdedAt = this.now();
  }

  /** Whether requests came in crowds within the last `ms`. */
  crowdedWithin(ms: number): boolean {
    return this.now() - this.lastCrowdedAt < ms;
  }
}
