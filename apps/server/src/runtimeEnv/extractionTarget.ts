import { link, mkdir, realpath, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, join, posix, relative } from 'node:path';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('../') && !isAbsolute(rel));
}

function entryError(name: string, problem: string): RuntimeEnvSetupError {
  return new RuntimeEnvSetupError(`runtime_env.working_dir archive entry '${name}' ${problem}`);
}

function formatBytes(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes} bytes`;
}

interface PendingLink {
  name: string;
  /** Path of the link, relative to the root, normalised. */
  path: string;
  target: string;
}

/**
 * The directory an archive is extracted into, and the rules every entry must pass: no entry
 * lands outside it, no link points out of it, and the bytes written stay under a limit.
 *
 * Links are created only after every file and directory has been written, and no entry may lie
 * under a symbolic link of the archive, so no write ever goes through a link.
 */
export class ExtractionTarget {
  private bytesWritten = 0;
  private readonly files = new Set<string>();
  private readonly symlinkPaths = new Set<string>();
  private readonly symlinks: PendingLink[] = [];
  private readonly hardLinks: PendingLink[] = [];

  constructor(
    readonly root: string,
    private readonly maxBytes: number,
  ) {}

  /**
   * The normalised relative path of an entry, '' for the root itself. Refuses absolute names,
   * names that resolve outside the root, and names under a symbolic link of the archive.
   */
  entryPath(name: string): string {
    if (name.includes('\0')) throw entryError(name, 'has a NUL character in its name');
    if (posix.isAbsolute(name) || /^[a-zA-Z]:/.test(name)) {
      throw entryError(name, 'would escape the working directory');
    }
    const path = posix.normalize(name).replace(/\/+$/, '');
    if (path === '..' || path.startsWith('../')) {
      throw entryError(name, 'would escape the working directory');
    }
    const normalised = path === '.' ? '' : path;
    for (let parent = posix.dirname(normalised); parent !== '.'; parent = posix.dirname(parent)) {
      if (this.symlinkPaths.has(parent)) {
        throw entryError(name, `lies under the symbolic link '${parent}' of the archive`);
      }
    }
    return normalised;
  }

  absolute(path: string): string {
    return join(this.root, path);
  }

  /** Counts bytes about to be written; refuses once the total is over the limit. */
  addBytes(count: number): void {
    this.assertRoomFor(count);
    this.bytesWritten += count;
  }

  /** Refuses when `count` more bytes would take the total over the limit. */
  assertRoomFor(count: number): void {
    if (this.bytesWritten + count > this.maxBytes) {
      throw new RuntimeEnvSetupError(
        `runtime_env.working_dir archive is larger than ${formatBytes(this.maxBytes)} uncompressed`,
      );
    }
  }

  async directory(name: string): Promise<void> {
    await mkdir(this.absolute(this.entryPath(name)), { recursive: true, mode: 0o755 });
  }

  /** Makes the parent directories of a file entry and records it; returns where to write it. */
  async file(name: string): Promise<string> {
    const path = this.entryPath(name);
    if (path === '') throw entryError(name, 'is a file in place of the working directory');
    // Recorded before any await: a hard link later in the archive may name it at once.
    this.files.add(path);
    const absolute = this.absolute(path);
    await mkdir(dirname(absolute), { recursive: true, mode: 0o755 });
    return absolute;
  }

  /** Permissions for an extracted file: execute bits kept, never setuid or writable by others. */
  static fileMode(mode: number | undefined): number {
    const permissions = (mode ?? 0) & 0o777;
    return permissions === 0 ? 0o644 : (permissions & 0o755) | 0o600;
  }

  symlink(name: string, target: string): void {
    const path = this.entryPath(name);
    if (target === '' || target.includes('\0') || posix.isAbsolute(target)) {
      throw entryError(name, `links outside the working directory (to '${target}')`);
    }
    const resolved = posix.normalize(posix.join(posix.dirname(path), target));
    if (resolved === '..' || resolved.startsWith('../')) {
      throw entryError(name, `links outside the working directory (to '${target}')`);
    }
    this.symlinkPaths.add(path);
    this.symlinks.push({ name, path, target });
  }

  hardLink(name: string, target: string): void {
    const path = this.entryPath(name);
    let targetPath: string;
    try {
      targetPath = this.entryPath(target);
    } catch {
      throw entryError(name, `links outside the working directory (to '${target}')`);
    }
    if (!this.files.has(targetPath)) {
      throw entryError(name, `is a hard link to '${target}', which is not a file of the archive`);
    }
    this.hardLinks.push({ name, path, target: targetPath });
  }

  /**
   * Creates the links once every file exists, then checks each symbolic link the way the kernel
   * resolves it: a chain of links inside the archive may still lead out (`a -> .`,
   * `b -> a/a/..`), which no look at a single target can tell.
   */
  async finish(): Promise<void> {
    for (const hard of this.hardLinks) {
      const absolute = this.absolute(hard.path);
      await mkdir(dirname(absolute), { recursive: true, mode: 0o755 });
      await link(this.absolute(hard.target), absolute);
    }
    for (const soft of this.symlinks) {
      const absolute = this.absolute(soft.path);
      await mkdir(dirname(absolute), { recursive: true, mode: 0o755 });
      try {
        await symlink(soft.target, absolute);
      } catch (error) {
        // A file or directory of the archive holds the name (entries under a link land here).
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
          throw entryError(soft.name, 'is a symbolic link clashing with a file or directory');
        }
        throw error;
      }
    }
    const realRoot = await realpath(this.root);
    for (const soft of this.symlinks) {
      await this.assertResolvesInside(realRoot, soft);
    }
  }

  private async assertResolvesInside(realRoot: string, soft: PendingLink): Promise<void> {
    // Unnormalised on purpose: '..' must apply after each link is followed, as the kernel does.
    let prefix = join(realRoot, soft.path);
    const steps = ['', ...soft.target.split('/').filter((step) => step !== '' && step !== '.')];
    for (const [index, step] of steps.entries()) {
      if (index > 0) prefix = index === 1 ? `${dirname(prefix)}/${step}` : `${prefix}/${step}`;
      let real: string;
      try {
        real = await realpath(prefix);
      } catch (error) {
        // Dangling from here on: nothing further can be followed.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw entryError(soft.name, `cannot be resolved: ${(error as Error).message}`);
      }
      if (!isInside(realRoot, real)) {
        throw entryError(soft.name, `links outside the working directory (to '${soft.target}')`);
      }
    }
  }
}
