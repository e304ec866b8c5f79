import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Directories the server keeps in the data dir; the runner fills them. */
const subdirectories = ['logs', 'run'];

/** Removes the group's and others' permissions of `path`, keeping the owner's. */
function makePrivate(path: string): void {
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700);
}

/**
 * Creates the data dir, or tightens an existing one, so that only the server's user can reach
 * it whatever the umask: the store holds env_vars values and the logs whatever jobs print.
 * Looser modes left at the top of it (by an earlier version, an operator, a umask of 000) are
 * fixed at every start. What the server writes inside logs/ and run/ it creates private itself,
 * and it lies behind these private directories anyway.
 */
export function makeDataDirPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (const name of subdirectories) {
    mkdirSync(join(dataDir, name), { recursive: true, mode: 0o700 });
  }
  makePrivate(dataDir);
  for (const entry of readdirSync(dataDir, { withFileTypes: true })) {
    // chmod follows links: a link's target is not the server's to change.
    if (!entry.isSymbolicLink()) makePrivate(join(dataDir, entry.name));
  }
}
