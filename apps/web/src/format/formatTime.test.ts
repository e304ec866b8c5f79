import { describe, expect, it } from 'vitest';
import { formatDuration, formatRelativeTime } from './formatTime.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [999, '0s'],
    [45_000, '45s'],
    [185_000, '3m 05s'],
    [3_600_000, '1h 00m'],
    [8_040_000, '2h 14m'],
    [273_600_000, '3d 4h'],
  ])('%d ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shows a dash for a negative or unknown duration instead of nonsense', () => {
    expect(formatDuration(-5)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
  });
});

describe('formatRelativeTime', () => {
  const now = Date.UTC(2026, 0, 10, 12, 0, 0);

  it('says just now for the last few seconds', () => {
    expect(formatRelativeTime(now - 3000, now)).toBe('just now');
  });

  it('picks the largest whole unit', () => {
    expect(formatRelativeTime(now - 42_000, now)).toBe('42 seconds ago');
    expect(formatRelativeTime(now - 5 * 60_000, now)).toBe('5 minutes ago');
    expect(formatRelativeTime(now - 3 * 3_600_000, now)).toBe('3 hours ago');
    expect(formatRelativeTime(now - 86_400_000, now)).toBe('yesterday');
  });
});
