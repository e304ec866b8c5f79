/** "45s", "3m 05s", "2h 14m", "3d 4h": two units at most, enough to compare jobs at a glance. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, '0')}s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

const relativeUnits: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];

const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "5 minutes ago", "yesterday"; "just now" under ten seconds, where the exact value is noise. */
export function formatRelativeTime(epochMs: number, nowMs: number): string {
  const delta = epochMs - nowMs;
  if (Math.abs(delta) < 10_000) return 'just now';
  for (const [unit, size] of relativeUnits) {
    if (Math.abs(delta) >= size) return relativeFormat.format(Math.round(delta / size), unit);
  }
  return 'just now';
}

/** Absolute local time, for tooltips and the job page. */
export function formatTimestamp(epochMs: number): string {
  return new Date(epochMs).toLocaleString('en-GB', { hour12: false });
}
