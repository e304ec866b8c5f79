import type { StartPace } from './startGate.js';

export interface BusyStartPaceOptions {
  /** Whether the server is busy answering requests now (see RequestCrowding). */
  busy: () => boolean;
  /** Least time between two starts while it is. */
  spacingMs: number;
  now?: () => number;
}

/**
 * Spaces out starts while the server is busy answering requests: a burst of submissions, say. A
 * start costs the server's thread about 30 ms (the spawn's fork, the run directory, log and
 * cgroup, two commits) and boots a wrapper process (about 180 ms of a core) on the cores the API
 * answers from. Jobs still start meanwhile, one per `spacingMs`; a server that is not busy starts
 * each at once. Busy is about requests, not the thread's load: the work of the starts themselves
 * must not slow the starts down.
 */
export class BusyStartPace implements StartPace {
  private readonly now: () => number;
  private lastStart = -Infinity;

  constructor(private readonly options: BusyStartPaceOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  delayMs(): number {
    if (!this.options.busy()) return 0;
    return Math.max(0, this.lastStart + this.options.spacingMs - this.now());
  }

  started(): void {
    this.lastStart = this.now();
  }
}
