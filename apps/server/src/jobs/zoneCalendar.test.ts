import { describe, expect, it } from 'vitest';
import { utcCalendar, zoneCalendar } from './zoneCalendar.js';

const hour = 3_600_000;
const day = 24 * hour;
/** 2026-03-29 and 2026-10-25 as days since 1970-01-01: Berlin's clocks go forward, then back. */
const springDay = Date.UTC(2026, 2, 29) / day;
const autumnDay = Date.UTC(2026, 9, 25) / day;

describe('zoneCalendar', () => {
  it('starts days at local midnight: in Berlin 23 h on spring forward, 25 h on fall back', () => {
    const berlin = zoneCalendar('Europe/Berlin');
    // Midnight is 23:00 UTC the day before in winter (UTC+1), 22:00 UTC in summer (UTC+2).
    expect(berlin.startOf(springDay)).toBe(Date.UTC(2026, 2, 28, 23));
    expect(berlin.startOf(springDay + 1)).toBe(Date.UTC(2026, 2, 29, 22));
    expect(berlin.startOf(springDay + 1) - berlin.startOf(springDay)).toBe(23 * hour);
    expect(berlin.startOf(autumnDay + 1) - berlin.startOf(autumnDay)).toBe(25 * hour);
    expect(berlin.dayOf(Date.UTC(2026, 2, 28, 23))).toBe(springDay);
    expect(berlin.dayOf(Date.UTC(2026, 2, 28, 23) - 1)).toBe(springDay - 1);
    expect(berlin.dayOf(Date.UTC(2026, 2, 29, 21, 59, 59, 999))).toBe(springDay);
  });

  it('starts a day whose midnight is skipped at the first instant it has', () => {
    // São Paulo went from 00:00 straight to 01:00 on 2018-11-04 (03:00 UTC).
    const saoPaulo = zoneCalendar('America/Sao_Paulo');
    const skipped = Date.UTC(2018, 10, 4) / day;
    expect(saoPaulo.startOf(skipped)).toBe(Date.UTC(2018, 10, 4, 3));
    expect(saoPaulo.startOf(skipped + 1)).toBe(Date.UTC(2018, 10, 5, 2));
  });

  it('matches the UTC calendar for UTC, and keeps zones east of UTC on their own date', () => {
    const utc = zoneCalendar('UTC');
    const instant = Date.UTC(2026, 10, 30, 23, 30);
    expect(utc.dayOf(instant)).toBe(utcCalendar.dayOf(instant));
    expect(utc.startOf(springDay)).toBe(utcCalendar.startOf(springDay));
    // 23:30 UTC is 08:30 the next day in Tokyo; its midnight is 15:00 UTC.
    const tokyo = zoneCalendar('Asia/Tokyo');
    expect(tokyo.dayOf(instant)).toBe(utcCalendar.dayOf(instant) + 1);
    expect(tokyo.startOf(tokyo.dayOf(instant))).toBe(Date.UTC(2026, 10, 30, 15));
  });
});
