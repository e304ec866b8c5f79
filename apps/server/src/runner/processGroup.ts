import { readFileSync, readdirSync } from 'node:fs';

function errorCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error ? String(error.code) : undefined;
}

/** Sends a signal to every process of a group. False when the group has no process left. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ESRCH') return false;
    throw error;
  }
}

/** Fields 3.. of /proc/<pid>/stat (state, ppid, pgrp, ...), or null when the process is gone. */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses; fields after it are plain.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const isZombie = (fields: string[]) => fields[0] === 'Z' || fields[0] === 'X';

/** Pids of the live (not zombie) processes of a process group, read from /proc. */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(Number(name));
    if (fields && Number(fields[2]) === pgid && !isZombie(fields)) members.push(Number(name));
  }
  return members;
}

/**
 * True while a process group has a live member. Zombies do not count: orphans wait to be
 * reaped by init, which may take a while in containers.
 */
export function processGroupExists(pgid: number): boolean {
  if (!signalProcessGroup(pgid, 0)) return false;
  try {
    return processGroupMembers(pgid).length > 0;
  } catch {
    return true; // No /proc: trust kill(2).
  }
}

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

const GROUP_POLL_MS = 50;

/**
 * SIGTERM to the whole group, then SIGKILL to whatever of it is left after `graceMs`.
 * Resolves once the group is gone or has been sent SIGKILL; true when SIGKILL was needed.
 */
export async function terminateProcessGroup(pgid: number, graceMs: number): Promise<boolean> {
  if (!signalProcessGroup(pgid, 'SIGTERM')) return false;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, GROUP_POLL_MS));
    if (!processGroupExists(pgid)) return false;
  }
  return signalProcessGroup(pgid, 'SIGKILL');
}
