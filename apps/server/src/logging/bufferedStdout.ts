import { type DestinationStream, pino } from 'pino';

/** Bytes of lines gathered before they are written: about ten request lines a write. */
const MIN_WRITE_BYTES = 4096;
/** Longest a line waits in the buffer when the server is quiet. */
const FLUSH_EVERY_MS = 1000;

/**
 * Stdout for the server's log, written a few kilobytes at a time: pino's default writes each
 * line at once, a system call per request as costly as writing the answer itself. The buffer
 * is written out at the latest after FLUSH_EVERY_MS, and at once when the process exits, by a
 * stop, process.exit or an uncaught error (pino flushes its asynchronous destinations on exit).
 * Only a process killed outright (SIGKILL, out of memory) loses what was not written yet.
 */
export function bufferedStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, minLength: MIN_WRITE_BYTES });
  const timer = setInterval(() => {
    destination.flush();
  }, FLUSH_EVERY_MS).unref();
  // Ended on exit: a flush then would throw.
  destination.once('close', () => {
    clearInterval(timer);
  });
  return destination;
}
