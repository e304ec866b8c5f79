import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallFileSystem {
  dir: string;
  /** Writes a file until the file system is full (ENOSPC); returns what deletes it again. */
  fill(): () => void;
  unmount(): void;
}

/**
 * A tmpfs of `size` (e.g. '2m') mounted on a fresh temp dir, for tests of a full disk. Needs
 * root, which the test machines and CI have.
 */
export function mountSmallFileSystem(size: string): SmallFileSystem {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  let fillers = 0;
  return {
    dir,
    fill() {
      const file = join(dir, `filler-${fillers++}`);
      const fd = openSync(file, 'w');
      const block = Buffer.alloc(4096, 1);
      try {
        for (;;) writeSync(fd, block);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      } finally {
        closeSync(fd);
      }
      return () => {
        rmSync(file, { force: true });
      };
    },
    unmount() {
      execFileSync('umount', ['-l', dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
