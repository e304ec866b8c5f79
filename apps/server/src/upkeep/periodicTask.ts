/**
 * Upkeep run every `intervalMs` in the background (the timer does not keep the process alive),
 * never two passes at once: a pass asked for while one runs joins it.
 */
export class PeriodicTask<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  constructor(
    private readonly pass: () => Promise<T>,
    private readonly intervalMs: number,
  ) {}

  /** Starts the timer; with `now`, also runs a first pass at once. */
  start(now = false): void {
    if (now) void this.run();
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a pass still running. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass now, or the one already running. */
  run(): Promise<T> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }
}
