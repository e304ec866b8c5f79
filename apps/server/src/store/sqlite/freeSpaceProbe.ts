import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `bytes` to a file in `dir`, flushes it and removes it again: fails (ENOSPC) when the
 * file system has no room for that much more. A small committed write is not enough to tell: on
 * a full disk SQLite still reuses the space a failed or checkpointed write left in its WAL, and
 * only writes that grow the WAL fail.
 */
export async function probeFreeSpace(dir: string, bytes: number): Promise<void> {
  const file = join(dir, '.free-space-probe');
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.write(Buffer.alloc(bytes));
    await handle.sync();
  } finally {
    await handle.close();
    await rm(file, { force: true });
  }
}
