import {
  appendFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { capSlurmLog } from './capSlurmLog.js';

const CAP = 16 * 1024;
const NOTICE =
  /^\[log truncated: its oldest (\d+) bytes were dropped to keep it under 16384 bytes\]\n/;
let dir: string;
let log: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jobs-cap-slurm-log-'));
  log = join(dir, 'job.log');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function lines(from: number, to: number): string {
  return Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join('');
}

describe('capSlurmLog', () => {
  it('leaves a missing log or one under the cap alone', async () => {
    expect(await capSlurmLog(log, CAP)).toBe(false);
    writeFileSync(log, lines(1, 100));
    expect(await capSlurmLog(log, CAP)).toBe(false);
    expect(readFileSync(log, 'utf8')).toBe(lines(1, 100));
  });

  it('keeps the newest half in the same file, and counts what every cut dropped', async () => {
    const written = [lines(1, 5000), lines(5001, 9000)];
    writeFileSync(log, written[0] ?? '');
    const { ino } = statSync(log);
    expect(await capSlurmLog(log, CAP)).toBe(true);
    const once = readFileSync(log, 'utf8');
    expect(statSync(log).ino).toBe(ino);
    expect(Buffer.byteLength(once)).toBeLessThanOrEqual(CAP);
    const [notice] = NOTICE.exec(once) ?? [''];
    expect(once.slice(notice.length)).toBe((written[0] ?? '').slice(-(CAP / 2)));

    // A second cut counts the first one's drop too; the notice is never counted as output.
    appendFileSync(log, written[1] ?? '');
    expect(await capSlurmLog(log, CAP)).toBe(true);
    const twice = readFileSync(log, 'utf8');
    expect(Buffer.byteLength(twice)).toBeLessThanOrEqual(CAP);
    const match = NOTICE.exec(twice);
    const kept = twice.slice(match?.[0].length ?? 0);
    expect(written.join('').endsWith(kept)).toBe(true);
    expect(Number(match?.[1]) + kept.length).toBe(written.join('').length);
  });
});
