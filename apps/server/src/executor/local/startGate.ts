/**
 * Lets at most `limit` jobs start at once. Starting a driver costs a fork of the server and a
 * wrapper process that boots: a storm of submissions started all at once would take every core
 * and leave the API unanswered for seconds.
 */
export class StartGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  /** Resolves with a release function once a start may proceed. */
  async enter(): Promise<() => void> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next === undefined) this.running--;
      else next();
    };
  }
}
