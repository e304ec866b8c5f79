import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type { StartPace } from './startGate.js';

export interface BusyStartPaceOptions {
  /** Share of the time the server's thread was at work, from 0 to 1, above which it is busy. */
  busyAbove: number;
  /** The span over which that share is measured. */
  windowMs: number;
  /** Least time between two starts while the server is busy. */
  spacingMs: number;
  /** The event loop's use so far (tests give their own). */
  utilization?: (last?: EventLoopUtilization) => EventLoopUtilization;
  now?: () => number;
}

/**
 * Spaces out starts while the server's thread is busy: answering a burst of submissions, say.
 * A start boots a wrapper process (about 100 ms of a core) on the cores the API answers from;
 * a burst whose every job started at once got a third of the submissions answered that the same
 * burst got with the starts spaced out. Jobs still start meanwhile, one per `spacingMs`; an idle
 * server starts each at once.
 */
export class BusyStartPace implements StartPace {
  private readonly utilization: (last?: EventLoopUtilization) => EventLoopUtilization;
  private readonly now: () => number;
  private mark: EventLoopUtilization;
  private busy = false;
  private lastStart = -Infinity;

  constructor(private readonly options: BusyStartPaceOptions) {
    this.utilization = options.utilization ?? ((last) => performance.eventLoopUtilization(last));
    this.now = options.now ?? (() => performance.now());
    this.mark = this.utilization();
  }

  delayMs(): number {
    if (!this.isBusy()) return 0;
    return Math.max(0, this.lastStart + this.options.spacingMs - this.now());
  }

  started(): void {
    this.lastStart = this.now();
  }

  /** Whether the server was busy over the last whole window (measured at most once a window). */
  private isBusy(): boolean {
    const current = this.utilization();
    const since = this.utilization(this.mark);
    if (since.idle + since.active >= this.options.windowMs) {
      this.busy = since.utilization > this.options.busyAbove;
      this.mark = current;
    }
    return this.busy;
  }
}
