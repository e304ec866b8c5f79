import { InvalidArgumentError } from 'commander';

const units: Record<string, number> = {
  '': 1,
  k: 1e3,
  m: 1e6,
  g: 1e9,
  t: 1e12,
  ki: 1024,
  mi: 1024 ** 2,
  gi: 1024 ** 3,
  ti: 1024 ** 4,
};

/** Bytes from `4G`, `512Mi`, `1.5GB`, `2048` (K/M/G/T decimal, Ki/Mi/Gi/Ti binary). */
export function parseMemorySize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]i?)?b?$/i.exec(value.trim());
  const factor = units[(match?.[2] ?? '').toLowerCase()];
  const bytes =
    match === null || factor === undefined ? NaN : Math.round(Number(match[1]) * factor);
  if (!Number.isSafeInteger(bytes)) {
    throw new InvalidArgumentError('must be bytes, or a size such as 4G, 512Mi or 1.5GB.');
  }
  return bytes;
}
