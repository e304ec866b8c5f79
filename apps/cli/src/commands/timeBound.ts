import { InvalidArgumentError } from 'commander';

const units: Record<string, number> = { s: 1e3, m: 60e3, h: 3_600e3, d: 86_400e3, w: 604_800e3 };

/**
 * A point in time, in ms since the epoch, from a duration back from now (`30m`, `1h`, `2d`) or a
 * date (`2026-11-28`, `2026-11-28T09:00:00Z`).
 */
export function parseTimeBound(value: string, now = Date.now()): number {
  const ago = /^(\d+(?:\.\d+)?)([smhdw])$/.exec(value.trim());
  if (ago !== null) return Math.round(now - Number(ago[1]) * (units[ago[2] ?? 's'] ?? 1));
  const date = Date.parse(value);
  if (!Number.isNaN(date) && /^\d{4}-\d{2}-\d{2}/.test(value)) return date;
  throw new InvalidArgumentError(
    'must be a duration back from now (30m, 1h, 2d) or a date (2026-11-28T09:00Z).',
  );
}
