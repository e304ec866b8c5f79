import { useCallback, useEffect, useRef, useState } from 'react';
import { isAbort } from './describeError.js';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  /** Nothing has loaded yet, and no error has come back either. */
  loading: boolean;
  /** Loads again now, without waiting for the next tick. */
  refresh: () => void;
}

/**
 * Calls `load` now and then `intervalMs` after each answer (never two at once), keeping the last
 * good data while a later call fails. Stops when `enabled` turns false or on unmount.
 */
export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
  onError: (error: unknown) => void,
  enabled = true,
): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await load(controller.signal);
        if (controller.signal.aborted) return;
        setData(value);
        setError(undefined);
      } catch (caught) {
        if (controller.signal.aborted || isAbort(caught)) return;
        setError(caught);
        onErrorRef.current(caught);
      }
      timer = setTimeout(() => void run(), intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [load, intervalMs, enabled, tick]);

  const refresh = useCallback(() => {
    setTick((n) => n + 1);
  }, []);
  return { data, error, loading: data === undefined && error === undefined, refresh };
}
