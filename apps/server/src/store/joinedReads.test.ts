import { describe, expect, it } from 'vitest';
import { joinedReads } from './joinedReads.js';

/** A read whose answers the test hands out one by one, recording when each read began. */
function controlledRead() {
  const pending: ((value: number) => void)[] = [];
  const failures: ((error: Error) => void)[] = [];
  let begun = 0;
  const read = () =>
    new Promise<number>((resolve, reject) => {
      begun++;
      pending.push(resolve);
      failures.push(reject);
    });
  return {
    read,
    begun: () => begun,
    answer: (index: number, value: number) => pending[index]?.(value),
    fail: (index: number, error: Error) => failures[index]?.(error),
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('joinedReads', () => {
  it('starts a read for a caller when none runs', async () => {
    const source = controlledRead();
    const shared = joinedReads(source.read);
    const answer = shared();
    expect(source.begun()).toBe(1);
    source.answer(0, 7);
    expect(await answer).toBe(7);
  });

  it('gives callers who ask during a read one read begun after it', async () => {
    const source = controlledRead();
    const shared = joinedReads(source.read);
    const first = shared();
    const later = [shared(), shared(), shared()];
    expect(source.begun()).toBe(1);
    source.answer(0, 1);
    expect(await first).toBe(1);
    await turn();
    // The callers who came during the first read did not get its answer.
    expect(source.begun()).toBe(2);
    source.answer(1, 2);
    expect(await Promise.all(later)).toEqual([2, 2, 2]);
  });

  it('lets no caller join a read that has already begun', async () => {
    const source = controlledRead();
    const shared = joinedReads(source.read);
    void shared();
    const second = shared();
    source.answer(0, 1);
    await turn();
    expect(source.begun()).toBe(2);
    // The second read runs now, so this caller waits for a third.
    const third = shared();
    source.answer(1, 2);
    expect(await second).toBe(2);
    await turn();
    expect(source.begun()).toBe(3);
    source.answer(2, 3);
    expect(await third).toBe(3);
  });

  it('passes a failed read to its callers alone, and the next read still runs', async () => {
    const source = controlledRead();
    const shared = joinedReads(source.read);
    const first = shared();
    const second = shared();
    source.fail(0, new Error('connection lost'));
    await expect(first).rejects.toThrow('connection lost');
    await turn();
    source.answer(1, 5);
    expect(await second).toBe(5);
    const third = shared();
    expect(source.begun()).toBe(3);
    source.answer(2, 6);
    expect(await third).toBe(6);
  });
});
