import { describe, expect, it } from 'vitest';
import { BusyStartPace } from './busyStartPace.js';

describe('BusyStartPace', () => {
  it('starts jobs at once while the server is not busy', () => {
    let now = 0;
    const pace = new BusyStartPace({ busy: () => false, spacingMs: 1000, now: () => now });
    for (let i = 0; i < 5; i++) {
      now += 10;
      expect(pace.delayMs()).toBe(0);
      pace.started();
    }
  });

  it('spaces starts out while the server is busy, and stops once it is not', () => {
    let now = 0;
    let busy = true;
    const pace = new BusyStartPace({ busy: () => busy, spacingMs: 1000, now: () => now });
    expect(pace.delayMs()).toBe(0); // None started yet.
    pace.started();
    now += 300;
    expect(pace.delayMs()).toBe(700);
    now += 700;
    expect(pace.delayMs()).toBe(0);
    pace.started();
    now += 10;
    busy = false;
    expect(pace.delayMs()).toBe(0);
  });
});
