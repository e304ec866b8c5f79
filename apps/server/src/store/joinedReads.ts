/**
 * Wraps a read so that callers asking at the same time share it, without any caller getting an
 * answer older than its call: the first caller starts a read; callers who ask while it runs
 * share the one read started after it ends. So every answer comes from a read begun after the
 * call, and a crowd of N callers costs two reads instead of N.
 */
export function joinedReads<T>(read: () => Promise<T>): () => Promise<T> {
  let running: Promise<T> | undefined;
  let waiting: Promise<T> | undefined;
  const begin = (): Promise<T> => {
    const current = read();
    running = current;
    const settled = (): void => {
      if (running === current) running = undefined;
    };
    current.then(settled, settled);
    return current;
  };
  return () => {
    if (waiting !== undefined) return waiting;
    if (running === undefined) return begin();
    const next = running.then(
      () => undefined,
      () => undefined,
    );
    waiting = next.then(() => {
      // Nobody joins once the read has begun: later callers start or wait for another.
      waiting = undefined;
      return begin();
    });
    return waiting;
  };
}
