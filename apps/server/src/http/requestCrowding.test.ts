import { describe, expect, it } from 'vitest';
import { RequestCrowding } from './requestCrowding.js';

describe('RequestCrowding', () => {
  it('counts 16 requests within 100 ms as a crowd for a while after', () => {
    let now = 1000;
    const crowding = new RequestCrowding(() => now);
    for (let i = 0; i < 15; i++) crowding.arrived();
    expect(crowding.crowdedWithin(200)).toBe(false);
    crowding.arrived();
    expect(crowding.crowdedWithin(200)).toBe(true);
    now += 199;
    expect(crowding.crowdedWithin(200)).toBe(true);
    now += 1;
    expect(crowding.crowdedWithin(200)).toBe(false);
  });

  it('never counts requests spread out as a crowd, however many', () => {
    let now = 1000;
    const crowding = new RequestCrowding(() => now);
    // 15 every 100 ms: 150 a second, for a minute.
    for (let i = 0; i < 600 * 15; i++) {
      if (i % 15 === 0) now += 100;
      crowding.arrived();
      expect(crowding.crowdedWithin(200)).toBe(false);
    }
  });
});
