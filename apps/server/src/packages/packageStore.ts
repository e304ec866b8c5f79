import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { InvalidRequestError } from '../errors.js';
import { PackageNotFoundError, PackageTooLargeError } from './packageErrors.js';

/** A zip starts with a local file header, or (empty) with the end of central directory. */
const zipSignatures = [
  Buffer.from([0x50, 0x4b, 0x03, 0x04]),
  Buffer.from([0x50, 0x4b, 0x05, 0x06]),
];
/** Uploads in progress are written under this prefix and renamed into place when complete. */
const PARTIAL_PREFIX = '.partial-';

function sha256Of(name: string): string | undefined {
  const hash = /^_ray_pkg_([0-9a-f]{64})\.zip$/.exec(name)?.[1];
  return hash;
}

/**
 * Uploaded working directories, one zip per content-addressed name, in one directory of the data
 * dir (the directory a shared-filesystem executor sees too). A file's mtime is when it was last
 * used: uploaded, asked for, or taken by a job; `removeUnused` deletes what is older.
 */
export class PackageStore {
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  pathOf(name: string): string {
    return join(this.dir, name);
  }

  /** The package's size, marking it used now. */
  async use(name: string): Promise<number> {
    const path = this.pathOf(name);
    try {
      const now = new Date();
      await utimes(path, now, now);
      return (await stat(path)).size;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new PackageNotFoundError(name);
      throw error;
    }
  }

  /**
   * Streams `body` to a temporary file, checks it, and renames it into place: a refused or broken
   * upload leaves nothing behind. `declaredBytes` (Content-Length) is refused before reading.
   */
  async put(name: string, body: Readable, declaredBytes: number | undefined): Promise<number> {
    if (declaredBytes !== undefined && declaredBytes > this.maxBytes) {
      throw new PackageTooLargeError(this.maxBytes);
    }
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const partial = join(this.dir, `${PARTIAL_PREFIX}${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const maxBytes = this.maxBytes;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) {
          callback(new PackageTooLargeError(maxBytes));
          return;
        }
        if (head.length < 4) head = Buffer.concat([head, chunk.subarray(0, 4 - head.length)]);
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(body, measure, createWriteStream(partial, { mode: 0o600 }));
      if (!zipSignatures.some((signature) => signature.equals(head))) {
        throw new InvalidRequestError('The package body is not a zip archive.');
      }
      const expected = sha256Of(name);
      const actual = hash.digest('hex');
      if (expected !== undefined && expected !== actual) {
        throw new InvalidRequestError(
          `The package body's SHA-256 is ${actual}, not the ${expected} its name says.`,
        );
      }
      const file = await open(partial, 'r');
      try {
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(partial, this.pathOf(name));
      return size;
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /** Deletes packages (and abandoned partial uploads) last used before `cutoff`; returns their names. */
  async removeUnused(cutoff: number): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const removed: string[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (info === undefined || info.mtimeMs >= cutoff) continue;
      await rm(path, { force: true });
      if (!name.startsWith(PARTIAL_PREFIX)) removed.push(name);
    }
    return removed;
  }
}
