import { readFileSync } from 'node:fs';

/** Fields 3.. of /proc/<pid>/stat (state, ppid, pgrp, ...), or null when the process is gone. */
export function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Zombies have exited: they only wait to be reaped, which may take a while in containers. */
export const isZombie = (fields: string[]) => fields[0] === 'Z' || fields[0] === 'X';

/** True while a process exists and is not a zombie. */
export function isProcessRunning(pid: number): boolean {
  const fields = statFields(pid);
  return fields !== null && !isZombie(fields);
}

/**
 * The kernel's start time of a process (clock ticks since boot, /proc/<pid>/stat field 22), or
 * null when the process is gone or /proc is unavailable. Together with the pid it names one
 * process for good: a reused pid has a different start time.
 */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/** True when `pid` is still the very process that was recorded with `startedAt`, and not a zombie. */
export function isSameProcessAlive(pid: number, startedAt: string | null): boolean {
  const fields = statFields(pid);
  return fields !== null && !isZombie(fields) && (startedAt === null || fields[19] === startedAt);
}
