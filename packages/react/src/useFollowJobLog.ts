import { followJobLogs } from '@jobs/client';
import { useEffect, useState } from 'react';
import { LogWindow } from './logWindow.js';
import { useJobsContext } from './JobsProvider.js';
import { readLogSize } from './queries.js';

export interface FollowedLog {
  /** The end of the log read so far, at most `maxChars`, updated at most every 200 ms. */
  text: string;
  /** The start of the log is not in `text` (only its end was read, or it grew past `maxChars`). */
  cut: boolean;
  /** The job has ended and its whole log has been read. */
  ended: boolean;
  /** Why reading stopped, if it failed. */
  error: unknown;
}

const renderIntervalMs = 200;

const starting: FollowedLog = { text: '', cut: false, ended: false, error: undefined };

/**
 * A job's log as it is written, through the server's live stream, until the job ends. Reading
 * starts `tailBytes` before the end (from the next whole line), and only the last `maxChars`
 * are kept, so a log of any size keeps the page responsive.
 */
export function useFollowJobLog(
  submissionId: string,
  options: { tailBytes: number; maxChars: number },
): FollowedLog {
  const { source, onError } = useJobsContext();
  const { client } = source;
  const { tailBytes, maxChars } = options;
  const [log, setLog] = useState(starting);

  useEffect(() => {
    const controller = new AbortController();
    const window = new LogWindow(maxChars);
    setLog(starting);
    // One render per interval however many pieces arrive in it: laying out megabytes of text
    // is slow, and a render per frame while a log streams in would keep the page busy.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = () => {
      timer = undefined;
      setLog((current) => ({ ...current, text: window.text, cut: window.cut }));
    };
    const read = async () => {
      try {
        const size = await readLogSize(client, submissionId, controller.signal);
        const from = Math.max(0, size - tailBytes);
        if (from > 0) window.startMidway();
        const signal = controller.signal;
        for await (const chunk of followJobLogs(client, submissionId, {
          signal,
          fromOffset: from,
        })) {
          window.append(chunk);
          timer ??= setTimeout(show, renderIntervalMs);
        }
        clearTimeout(timer);
        setLog({ text: window.text, cut: window.cut, ended: true, error: undefined });
      } catch (error) {
        if (controller.signal.aborted) return;
        setLog((current) => ({ ...current, error }));
        onError(error);
      }
    };
    void read();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, onError, submissionId, tailBytes, maxChars]);

  return log;
}
