import { describe, expect, it } from 'vitest';
import { type LeaveGate, StartGate, type StartPace } from './startGate.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

function mustEnter(leave: LeaveGate | undefined): LeaveGate {
  if (leave === undefined) throw new Error('expected a turn, got none');
  return leave;
}

describe('StartGate', () => {
  it('lets `limit` starts through at once, the others in order as slots free up', async () => {
    const gate = new StartGate(2);
    const order: string[] = [];
    const first = mustEnter(await gate.enter());
    const second = mustEnter(await gate.enter());
    const third = gate.enter().then((leave) => {
      order.push('third');
      return mustEnter(leave);
    });
    const fourth = gate.enter().then((leave) => {
      order.push('fourth');
      return mustEnter(leave);
    });
    await turn();
    expect(order).toEqual([]);
    first();
    first(); // Leaving twice frees one slot only.
    const leaveThird = await third;
    await turn();
    expect(order).toEqual(['third']);
    second();
    (await fourth)();
    leaveThird();
    // All slots free again: two enter at once.
    mustEnter(await gate.enter());
    mustEnter(await gate.enter());
  });

  it('lets a start that waits its turn withdraw, without holding up those behind it', async () => {
    const gate = new StartGate(1);
    const first = mustEnter(await gate.enter());
    const stop = new AbortController();
    const withdrawn = gate.enter(stop.signal);
    const behind = gate.enter();
    stop.abort();
    expect(await withdrawn).toBeUndefined();
    first();
    mustEnter(await behind)();
    // An already aborted signal gets no turn, and takes no slot.
    expect(await gate.enter(stop.signal)).toBeUndefined();
    mustEnter(await gate.enter());
  });

  it('lets each start go only when the pace allows, in arrival order', async () => {
    const delays = [0, 5, 0, 0];
    const asked: number[] = [];
    let started = 0;
    const pace: StartPace = {
      delayMs: () => {
        const delay = delays.shift() ?? 0;
        asked.push(delay);
        return delay;
      },
      started: () => {
        started++;
      },
    };
    const gate = new StartGate(4, pace);
    const order: number[] = [];
    const entered = [1, 2, 3].map((n) =>
      gate.enter().then((leave) => {
        order.push(n);
        return leave;
      }),
    );
    await turn();
    // The first went at once; the second was told to wait, and the third waits behind it.
    expect(order).toEqual([1]);
    await Promise.all(entered);
    expect(order).toEqual([1, 2, 3]);
    expect(asked).toEqual([0, 5, 0, 0]);
    expect(started).toBe(3);
  });
});
