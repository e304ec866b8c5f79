import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcessAlive, processStartTime } from './process/processIdentity.js';

export class DataDirInUseError extends Error {}

/**
 * Makes sure one server at a time uses a data dir: two would each take the other's jobs for lost.
 * Returns a function that releases the lock.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'server.pid');
  let holder: { pid: number; startedAt: string | null } | undefined;
  try {
    holder = JSON.parse(readFileSync(file, 'utf8')) as typeof holder;
  } catch {
    holder = undefined;
  }
  if (holder && holder.pid !== process.pid && isSameProcessAlive(holder.pid, holder.startedAt)) {
    throw new DataDirInUseError(
      `The data dir ${dataDir} is in use by another job server (pid ${holder.pid}); stop it or choose another --data-dir.`,
    );
  }
  const self = { pid: process.pid, startedAt: processStartTime(process.pid) };
  writeFileSync(file, JSON.stringify(self), { mode: 0o600 });
  return () => {
    rmSync(file, { force: true });
  };
}
