const DAY_MS = 86_400_000;

/** Local calendar days of a time zone: which day an instant falls on, and when a day starts. */
export interface ZoneCalendar {
  /** The local date of `ms`, as days since 1970-01-01 (a date, not a number of 24 h spans). */
  dayOf(ms: number): number;
  /** The first instant of local day `day` (its midnight, or the end of a gap that skips it). */
  startOf(day: number): number;
}

export const utcCalendar: ZoneCalendar = {
  dayOf: (ms) => Math.floor(ms / DAY_MS),
  startOf: (day) => day * DAY_MS,
};

/** The calendar of an IANA time zone that Intl knows (the contract checks the name). */
export function zoneCalendar(timeZone: string): ZoneCalendar {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  /** The local wall-clock time of `ms`, read as if it were UTC. */
  const wallClock = (ms: number): number => {
    const part: Record<string, number> = {};
    for (const { type, value } of format.formatToParts(ms)) part[type] = Number(value);
    const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = part;
    return Date.UTC(year, month - 1, day, hour, minute, second, ((ms % 1000) + 1000) % 1000);
  };
  const dayOf = (ms: number) => Math.floor(wallClock(ms) / DAY_MS);
  return {
    dayOf,
    startOf(day) {
      // UTC midnight of that date, moved by the zone's offset around it. Near a change of
      // offset the two readings differ; the day starts at the earliest of them that is on it.
      const midnight = day * DAY_MS;
      const first = midnight - (wallClock(midnight) - midnight);
      const second = midnight - (wallClock(first) - first);
      const onDay = [first, second].filter((ms) => dayOf(ms) === day);
      return onDay.length === 0 ? Math.max(first, second) : Math.min(...onDay);
    },
  };
}
