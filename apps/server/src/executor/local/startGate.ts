/** Frees the slot a start held; calling it again does nothing. */
export type LeaveGate = () => void;

/** How long the next start should wait so that the API keeps the cores it needs: 0 for now. */
export interface StartPace {
  delayMs(): number;
  /** Called as a start goes. */
  started(): void;
}

interface Waiter {
  grant: (leave: LeaveGate) => void;
}

/**
 * Lets at most `limit` jobs start at once, in arrival order, each when `pace` allows. Starting a
 * driver costs directories, a log, a cgroup, a spawn and a wrapper process that boots: a storm
 * of submissions started all at once would take every core and leave the API unanswered for
 * seconds.
 */
export class StartGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limit: number,
    private readonly pace?: StartPace,
  ) {}

  /**
   * Resolves with the function that frees the slot once a start may proceed, or with undefined
   * when `signal` aborts first (the job was stopped or let go of while it waited its turn).
   */
  enter(signal?: AbortSignal): Promise<LeaveGate | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const withdraw = () => {
        const at = this.waiting.indexOf(waiter);
        if (at !== -1) this.waiting.splice(at, 1);
        resolve(undefined);
      };
      const waiter: Waiter = {
        grant: (leave) => {
          signal?.removeEventListener('abort', withdraw);
          resolve(leave);
        },
      };
      signal?.addEventListener('abort', withdraw, { once: true });
      this.waiting.push(waiter);
      this.admit();
    });
  }

  /** Lets waiters go while slots are free and the pace allows; else tries again later. */
  private admit(): void {
    while (this.waiting.length > 0 && this.running < this.limit && this.timer === undefined) {
      const delay = this.pace?.delayMs() ?? 0;
      if (delay > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.admit();
        }, delay);
        // Jobs waiting their turn do not keep a stopping server alive.
        this.timer.unref();
        return;
      }
      const next = this.waiting.shift();
      if (next === undefined) return;
      this.running++;
      this.pace?.started();
      next.grant(this.slot());
    }
  }

  private slot(): LeaveGate {
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
      this.admit();
    };
  }
}
