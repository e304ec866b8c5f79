import { describe, expect, it } from 'vitest';
import { waitFor } from '../testing/waitFor.js';
import { untilBeat } from './untilBeat.js';

const LIVE_WITHIN_MS = 200;

/** A beat slot last written `agoMs` ago. */
function beatAgo(agoMs: number): BigInt64Array {
  const lastBeat = new BigInt64Array(new SharedArrayBuffer(8));
  Atomics.store(lastBeat, 0, BigInt(Date.now() - agoMs));
  return lastBeat;
}

/** Starts a wait and reports whether it has settled. */
function watch(wait: Promise<void>): () => boolean {
  let settled = false;
  void wait.then(() => (settled = true));
  return () => settled;
}

describe('untilBeat', () => {
  it('resolves at once while the beat is recent', async () => {
    await untilBeat(beatAgo(0), LIVE_WITHIN_MS, new AbortController().signal);
  });

  it('holds while the beat is old, and resolves once it is written again', async () => {
    const lastBeat = beatAgo(10_000);
    const settled = watch(untilBeat(lastBeat, LIVE_WITHIN_MS, new AbortController().signal));
    // Several rechecks later, still held.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled()).toBe(false);
    Atomics.store(lastBeat, 0, BigInt(Date.now()));
    await waitFor('the wait to end', () => (settled() ? true : undefined));
  });

  it('gives up once its caller has gone, though the beat is still old', async () => {
    const gone = new AbortController();
    const settled = watch(untilBeat(beatAgo(10_000), LIVE_WITHIN_MS, gone.signal));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled()).toBe(false);
    gone.abort();
    await waitFor('the wait to end', () => (settled() ? true : undefined));
  });
});
