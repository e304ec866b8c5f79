import { describe, expect, it } from 'vitest';
import { parseMemorySize } from './memorySize.js';
import { parseTimeBound } from './timeBound.js';

describe('option values', () => {
  it('reads memory sizes in decimal and binary units', () => {
    expect(parseMemorySize('2048')).toBe(2048);
    expect(parseMemorySize('4G')).toBe(4e9);
    expect(parseMemorySize('512Mi')).toBe(512 * 1024 ** 2);
    expect(parseMemorySize('1.5GB')).toBe(1.5e9);
    expect(parseMemorySize('2gi')).toBe(2 * 1024 ** 3);
    for (const bad of ['', 'lots', '4X', '-1G', '1e3']) {
      expect(() => parseMemorySize(bad)).toThrow(/4G, 512Mi/);
    }
  });

  it('reads points in time as durations back from now or dates', () => {
    const now = Date.UTC(2026, 10, 29, 12, 0, 0);
    expect(parseTimeBound('1h', now)).toBe(now - 3_600_000);
    expect(parseTimeBound('30m', now)).toBe(now - 1_800_000);
    expect(parseTimeBound('2d', now)).toBe(now - 2 * 86_400_000);
    expect(parseTimeBound('2026-11-28T09:00:00Z', now)).toBe(Date.UTC(2026, 10, 28, 9));
    expect(() => parseTimeBound('yesterday', now)).toThrow(/duration back from now/);
  });
});
