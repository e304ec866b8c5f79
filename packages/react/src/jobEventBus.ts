import type { JobEvent } from '@jobs/client';

export type JobEventListener = (event: JobEvent) => void;

/** Hands every job event the provider receives to whoever listens at that moment. */
export class JobEventBus {
  readonly #listeners = new Set<JobEventListener>();

  subscribe(listener: JobEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  publish(event: JobEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  /**
   * Runs `read` while recording the events that arrive meanwhile: a read answered just before
   * a change, whose event arrives before the answer, would otherwise miss the change.
   */
  async recordingWhile<T>(read: () => Promise<T>): Promise<{ value: T; recorded: JobEvent[] }> {
    const recorded: JobEvent[] = [];
    const stop = this.subscribe((event) => recorded.push(event));
    try {
      return { value: await read(), recorded };
    } finally {
      stop();
    }
  }
}
