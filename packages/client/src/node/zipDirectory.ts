import { lstat, readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { type Zippable, zipSync } from 'fflate';
import ignore, { type Ignore } from 'ignore';

/** A fixed time for every entry: the same directory then zips to the same bytes, and one upload. */
const ENTRY_TIME = new Date('2000-01-01T00:00:00Z');
/** "Made by" Unix, so the external attributes carry the file mode (executable scripts stay so). */
const UNIX = 3;

interface Filter {
  base: string;
  rules: Ignore;
}

async function gitignoreOf(dir: string): Promise<Filter | undefined> {
  try {
    return { base: dir, rules: ignore().add(await readFile(join(dir, '.gitignore'), 'utf8')) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function excluded(path: string, isDir: boolean, filters: readonly Filter[]): boolean {
  return filters.some(({ base, rules }) => {
    const rel = relative(base, path).split(sep).join('/');
    return rel !== '' && rules.ignores(isDir ? `${rel}/` : rel);
  });
}

async function collect(
  root: string,
  dir: string,
  filters: readonly Filter[],
  into: Zippable,
): Promise<void> {
  const own = await gitignoreOf(dir);
  const active = own ? [...filters, own] : filters;
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '.git' || excluded(path, true, active)) continue;
      await collect(root, path, active, into);
    } else if (entry.isFile() && !excluded(path, false, active)) {
      // Links and special files are left out: the server refuses links leaving the archive.
      const { mode } = await lstat(path);
      into[relative(root, path).split(sep).join('/')] = [
        await readFile(path),
        { mtime: ENTRY_TIME, os: UNIX, attrs: ((mode & 0o777) | 0o100000) << 16 },
      ];
    }
  }
}

/**
 * Zips a directory the way Ray's `working_dir` upload does: every `.gitignore` on the way is
 * honoured (for its own directory and below), `.git` is left out, and so is whatever matches
 * `excludes` (gitignore patterns relative to `dir`). The bytes depend on content only.
 */
export async function zipDirectory(
  dir: string,
  excludes: readonly string[] = [],
): Promise<Uint8Array> {
  const files: Zippable = {};
  await collect(dir, dir, [{ base: dir, rules: ignore().add([...excludes]) }], files);
  return zipSync(files, { level: 6 });
}
