import { describe, expect, it } from 'vitest';
import { RequestCrowding } from './requestCrowding.js';

describe('RequestCrowding', () => {
  it('counts requests arriving together as a crowd for a while, one after another never', () => {
    let now = 1000;
    const crowding = new RequestCrowding(() => now);
    for (let i = 0; i < 100; i++) crowding.arrived(0);
    expect(crowding.crowdedWithin(200)).toBe(false);
    crowding.arrived(2);
    expect(crowding.crowdedWithin(200)).toBe(false);
    crowding.arrived(3);
    expect(crowding.crowdedWithin(200)).toBe(true);
    now += 199;
    expect(crowding.crowdedWithin(200)).toBe(true);
    now += 1;
    expect(crowding.crowdedWithin(200)).toBe(false);
  });
});
