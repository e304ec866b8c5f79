/** Requests arriving within one window from which the API counts as crowded: 160 a second. */
const CROWD = 16;
const WINDOW_MS = 100;

/**
 * Whether requests are arriving in a crowd: a burst of submissions from many clients, not a
 * client's requests now and then (a dashboard polling, a script waiting for its job). Told by
 * the request pacer of each request as it comes in; read by whatever should give way to the
 * API meanwhile (job starts).
 *
 * Judged by how many arrive, not by how many are read together or in progress: a storm of new
 * connections reaches the server one connection per turn of the event loop, and each of its
 * requests is answered within a few turns, yet it arrives at hundreds a second. Nor by the
 * thread's load, which the work that gives way would add to. Health probes are answered before
 * the pacer and are not counted.
 */
export class RequestCrowding {
  private windowStart = -Infinity;
  private arrivals = 0;
  private lastCrowdedAt = -Infinity;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A request came in. */
  arrived(): void {
    const now = this.now();
    if (now - this.windowStart >= WINDOW_MS) {
      this.windowStart = now;
      this.arrivals = 0;
    }
    if (++this.arrivals >= CROWD) this.lastCrowdedAt = now;
  }

  /** Whether requests arrived in a crowd within the last `ms`. */
  crowdedWithin(ms: number): boolean {
    return this.now() - this.lastCrowdedAt < ms;
  }
}
