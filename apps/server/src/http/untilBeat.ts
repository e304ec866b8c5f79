import { setTimeout as sleep } from 'node:timers/promises';

/** How often a held wait looks again whether the beat is recent. */
const RECHECK_MS = 10;

/**
 * Resolves once the time in slot 0 of `lastBeat` (ms since the epoch, written by another thread)
 * is at most `liveWithinMs` old, or once `gone` aborts, whichever comes first.
 */
export async function untilBeat(
  lastBeat: BigInt64Array,
  liveWithinMs: number,
  gone: AbortSignal,
): Promise<void> {
  while (!gone.aborted && Date.now() - Number(Atomics.load(lastBeat, 0)) > liveWithinMs) {
    await sleep(RECHECK_MS, undefined, { signal: gone }).catch(() => undefined);
  }
}
