import { readdirSync } from 'node:fs';
import { isZombie, statFields } from '../../process/processIdentity.js';

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
