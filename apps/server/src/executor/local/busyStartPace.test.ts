import type { EventLoopUtilization } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { BusyStartPace } from './busyStartPace.js';

/** A clock and an event loop whose time at work the test sets. */
function fakeLoop() {
  let now = 0;
  let active = 0;
  const loop = {
    /** `ms` pass, the loop at work `share` of them. */
    pass(ms: number, share: number) {
      now += ms;
      active += ms * share;
    },
    utilization(last?: EventLoopUtilization): EventLoopUtilization {
      const total = { idle: now - active, active, utilization: now === 0 ? 0 : active / now };
      if (last === undefined) return total;
      const idle = total.idle - last.idle;
      const busy = total.active - last.active;
      return { idle, active: busy, utilization: idle + busy === 0 ? 0 : busy / (idle + busy) };
    },
    now: () => now,
  };
  return loop;
}

describe('BusyStartPace', () => {
  const options = { busyAbove: 0.5, windowMs: 200, spacingMs: 1000 };

  it('starts jobs at once while the server is mostly idle', () => {
    const loop = fakeLoop();
    const pace = new BusyStartPace({ ...options, ...loop });
    for (let i = 0; i < 5; i++) {
      loop.pass(250, 0.3);
      expect(pace.delayMs()).toBe(0);
      pace.started();
    }
  });

  it('spaces starts out while the server is busy, and stops once it is idle again', () => {
    const loop = fakeLoop();
    const pace = new BusyStartPace({ ...options, ...loop });
    loop.pass(250, 0.9);
    expect(pace.delayMs()).toBe(0); // None started yet.
    pace.started();
    loop.pass(300, 0.9);
    expect(pace.delayMs()).toBe(700);
    loop.pass(700, 0.9);
    expect(pace.delayMs()).toBe(0);
    pace.started();
    loop.pass(250, 0.1);
    expect(pace.delayMs()).toBe(0);
  });

  it('judges by whole windows: a short burst within one does not pace yet', () => {
    const loop = fakeLoop();
    const pace = new BusyStartPace({ ...options, ...loop });
    loop.pass(1000, 0);
    expect(pace.delayMs()).toBe(0);
    pace.started();
    loop.pass(100, 1);
    // Only 100 ms of the next window have passed: the last whole one was idle.
    expect(pace.delayMs()).toBe(0);
    loop.pass(100, 1);
    expect(pace.delayMs()).toBe(800);
  });
});
