import { describe, expect, it } from 'vitest';
import { StartGate } from './startGate.js';

describe('StartGate', () => {
  it('lets `limit` starts through at once, the others in order as slots free up', async () => {
    const gate = new StartGate(2);
    const order: string[] = [];
    const first = await gate.enter();
    const second = await gate.enter();
    const third = gate.enter().then((release) => {
      order.push('third');
      return release;
    });
    const fourth = gate.enter().then((release) => {
      order.push('fourth');
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    first();
    first(); // Releasing twice frees one slot only.
    const releaseThird = await third;
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['third']);
    second();
    (await fourth)();
    releaseThird();
    // All slots free again: two enter at once.
    await gate.enter();
    await gate.enter();
  });
});
