import { randomBytes } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArchiveMember, makeArchive, makeHostileArchive } from '../testing/pythonFixtures.js';
import { waitFor } from '../testing/waitFor.js';
import { resolveWorkingDir } from './resolveWorkingDir.js';
import { RuntimeEnvSetupError } from './runtimeEnvSetupError.js';

let base: string;
let jobDir: string;
const logged: string[] = [];

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'jobs-workdir-'));
  jobDir = join(base, 'job');
  logged.length = 0;
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

function resolve(
  workingDir: string,
  maxArchiveBytes = 1024 * 1024,
  signal = new AbortController().signal,
) {
  return resolveWorkingDir({
    workingDir,
    jobDir,
    maxArchiveBytes,
    signal,
    log: (line) => logged.push(line),
  });
}

async function refusal(workingDir: string, maxArchiveBytes?: number): Promise<string> {
  const error = await resolve(workingDir, maxArchiveBytes).then(
    () => {
      throw new Error('expected the working_dir to be refused');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RuntimeEnvSetupError);
  return (error as Error).message;
}

const project: ArchiveMember[] = [
  { name: 'main.py', content: 'print("hi")\n' },
  { name: 'bin/', directory: true },
  { name: 'bin/run.sh', content: '#!/bin/sh\necho ran\n', mode: 0o755 },
  { name: 'data/input.txt', content: 'input' },
  { name: 'input-link', symlink: 'data/input.txt' },
];

describe('resolveWorkingDir', () => {
  it('uses a directory given as a path or a file:// URL as it is', async () => {
    expect(await resolve(base)).toBe(base);
    expect(await resolve(pathToFileURL(base).href)).toBe(base);
    expect(existsSync(join(jobDir, 'working_dir'))).toBe(false);
  });

  it('names an uploaded package by its gcs:// URI, never by its place on the server', async () => {
    const packagesDir = join(base, 'server-packages');
    mkdirSync(packagesDir);
    makeArchive(join(packagesDir, 'proj.zip'), 'zip', project);
    const cwd = await resolveWorkingDir({
      workingDir: 'gcs://proj.zip',
      packagesDir,
      jobDir,
      maxArchiveBytes: 1024 * 1024,
      signal: new AbortController().signal,
      log: (line) => logged.push(line),
    });
    expect(readFileSync(join(cwd, 'main.py'), 'utf8')).toBe('print("hi")\n');
    expect(logged).toEqual(['runtime_env: extracting gcs://proj.zip']);
  });

  it('names a missing path and a file that is not an archive', async () => {
    expect(await refusal(join(base, 'missing'))).toBe(
      `runtime_env.working_dir ${join(base, 'missing')} cannot be read: ENOENT`,
    );
    writeFileSync(join(base, 'notes.txt'), 'x');
    expect(await refusal(join(base, 'notes.txt'))).toContain(
      'is neither a directory nor a .zip, .tar.gz or .tgz file',
    );
  });

  for (const [kind, file] of [
    ['zip', 'project.zip'],
    ['tar.gz', 'project.tar.gz'],
    ['tar.gz', 'project.tgz'],
  ] as const) {
    describe(file, () => {
      it('extracts files, directories, modes and inside links into <jobDir>/working_dir', async () => {
        const archive = join(base, file);
        makeArchive(archive, kind, project);
        const cwd = await resolve(pathToFileURL(archive).href);
        expect(cwd).toBe(join(jobDir, 'working_dir'));
        expect(readFileSync(join(cwd, 'main.py'), 'utf8')).toBe('print("hi")\n');
        expect(statSync(join(cwd, 'bin/run.sh')).mode & 0o777).toBe(0o755);
        expect(statSync(join(cwd, 'main.py')).mode & 0o111).toBe(0);
        expect(readlinkSync(join(cwd, 'input-link'))).toBe('data/input.txt');
        expect(readFileSync(join(cwd, 'input-link'), 'utf8')).toBe('input');
        expect(logged.join('\n')).toContain(`extracting ${pathToFileURL(archive).href}`);
      });

      it('starts inside the single top-level directory of an archive', async () => {
        const archive = join(base, file);
        makeArchive(archive, kind, [{ name: 'proj/main.py', content: 'x' }]);
        expect(await resolve(archive)).toBe(join(jobDir, 'working_dir', 'proj'));
      });

      it.each([
        ['../escaped.txt', 'would escape the working directory'],
        ['a/../../escaped.txt', 'would escape the working directory'],
        ['/tmp/jobs-absolute-entry.txt', 'would escape the working directory'],
      ])('refuses the entry %s', async (name, problem) => {
        const archive = join(base, file);
        makeArchive(archive, kind, [
          { name: 'ok.txt', content: 'ok' },
          { name, content: 'x' },
        ]);
        expect(await refusal(archive)).toBe(
          `runtime_env.working_dir archive entry '${name}' ${problem}`,
        );
        expect(existsSync(join(jobDir, 'escaped.txt'))).toBe(false);
        expect(existsSync('/tmp/jobs-absolute-entry.txt')).toBe(false);
      });

      it.each(['/etc', '../..', 'sub/../../outside'])(
        'refuses a symbolic link to %s',
        async (target) => {
          const archive = join(base, file);
          makeArchive(archive, kind, [{ name: 'out', symlink: target }]);
          expect(await refusal(archive)).toBe(
            `runtime_env.working_dir archive entry 'out' links outside the working directory (to '${target}')`,
          );
        },
      );

      it('refuses a chain of inside links that leads out', async () => {
        const archive = join(base, file);
        makeArchive(archive, kind, [
          { name: 'here', symlink: '.' },
          { name: 'up', symlink: 'here/here/..' },
        ]);
        expect(await refusal(archive)).toBe(
          "runtime_env.working_dir archive entry 'up' links outside the working directory (to 'here/here/..')",
        );
      });

      it('refuses an entry that would be written through a link of the archive', async () => {
        const archive = join(base, file);
        makeArchive(archive, kind, [
          { name: 'sub/', directory: true },
          { name: 'via', symlink: 'sub' },
          { name: 'via/file.txt', content: 'x' },
        ]);
        expect(await refusal(archive)).toBe(
          "runtime_env.working_dir archive entry 'via/file.txt' lies under the symbolic link 'via' of the archive",
        );
      });

      it('refuses an archive larger than the limit once uncompressed', async () => {
        const archive = join(base, file);
        // Random bytes do not compress: the archive itself is as large as its content.
        const big = randomBytes(700 * 1024).toString('base64');
        makeArchive(archive, kind, [{ name: 'big.txt', content: big }]);
        expect(await refusal(archive, 512 * 1024)).toBe(
          'runtime_env.working_dir archive is larger than 512 KiB uncompressed',
        );
        expect(existsSync(join(jobDir, 'working_dir'))).toBe(false);
      });

      it('removes what it extracted when a later entry takes it over the limit', async () => {
        const archive = join(base, file);
        makeArchive(
          archive,
          kind,
          ['a.txt', 'b.txt', 'c.txt'].map((name) => ({
            name,
            content: randomBytes(300 * 1024).toString('base64'),
          })),
        );
        expect(await refusal(archive, 1024 * 1024)).toBe(
          'runtime_env.working_dir archive is larger than 1 MiB uncompressed',
        );
        expect(existsSync(join(jobDir, 'working_dir'))).toBe(false);
        expect(existsSync(jobDir)).toBe(true);
      });

      it('stops extracting once the signal has aborted, with its reason', async () => {
        const archive = join(base, file);
        makeArchive(archive, kind, project);
        const reason = new Error('stopped by the test');
        await expect(resolve(archive, undefined, AbortSignal.abort(reason))).rejects.toBe(reason);
        expect(existsSync(join(jobDir, 'working_dir', 'main.py'))).toBe(false);
      });

      it('names an archive it cannot read', async () => {
        const archive = join(base, file);
        writeFileSync(archive, 'not an archive at all');
        expect(await refusal(archive)).toMatch(/^runtime_env\.working_dir is not a readable/);
      });
    });
  }

  describe('tar hard links', () => {
    it('links to a file of the archive and refuses one that points out', async () => {
      const archive = join(base, 'links.tar.gz');
      makeArchive(archive, 'tar.gz', [
        { name: 'a.txt', content: 'shared' },
        { name: 'b.txt', hardlink: 'a.txt' },
      ]);
      const cwd = await resolve(archive);
      expect(lstatSync(join(cwd, 'b.txt')).ino).toBe(lstatSync(join(cwd, 'a.txt')).ino);

      makeArchive(archive, 'tar.gz', [{ name: 'passwd', hardlink: '../../etc/passwd' }]);
      expect(await refusal(archive)).toBe(
        "runtime_env.working_dir archive entry 'passwd' links outside the working directory (to '../../etc/passwd')",
      );
    });
  });

  describe('hostile archives', () => {
    it('stops reading a tar.gz at its end-of-archive marker, whatever follows it', async () => {
      const archive = join(base, 'tail.tar.gz');
      // 20 MiB of zeros after the end took node-tar about a minute on its own.
      makeHostileArchive(archive, 'trailing-zeros', 20 * 1024 * 1024);
      const cwd = await resolve(archive);
      expect(readFileSync(join(cwd, 'hello.txt'), 'utf8')).toBe('hello\n');
    });

    it('refuses a zip bomb without inflating it, leaving nothing behind', async () => {
      const archive = join(base, 'bomb.zip');
      makeHostileArchive(archive, 'zip-bomb', 64 * 1024 * 1024);
      expect(statSync(archive).size).toBeLessThan(1024 * 1024);
      expect(await refusal(archive, 1024 * 1024)).toBe(
        'runtime_env.working_dir archive is larger than 1 MiB uncompressed',
      );
      expect(existsSync(join(jobDir, 'working_dir'))).toBe(false);
    });

    it('refuses a tar.gz holding another compressed stream', async () => {
      const inner = join(base, 'inner.tar.gz');
      makeArchive(inner, 'tar.gz', [{ name: 'a.txt', content: 'a' }]);
      const archive = join(base, 'double.tar.gz');
      writeFileSync(archive, gzipSync(readFileSync(inner)));
      expect(await refusal(archive)).toBe(
        'runtime_env.working_dir is not a readable tar.gz archive: it holds another compressed stream',
      );
    });

    it('kills an extraction that is stopped midway and removes what it wrote', async () => {
      const archive = join(base, 'many.tar.gz');
      makeHostileArchive(archive, 'many-files', 20_000);
      const controller = new AbortController();
      const reason = new Error('stopped by the test');
      const extraction = resolve(archive, undefined, controller.signal);
      await waitFor('the extraction to start writing', () =>
        existsSync(join(jobDir, 'working_dir', 'd0')) ? true : undefined,
      );
      controller.abort(reason);
      await expect(extraction).rejects.toBe(reason);
      expect(existsSync(join(jobDir, 'working_dir'))).toBe(false);
    });
  });

  it('refuses a tar entry that is a FIFO', async () => {
    const archive = join(base, 'fifo.tar.gz');
    makeArchive(archive, 'tar.gz', [{ name: 'pipe', fifo: true }]);
    expect(await refusal(archive)).toBe(
      "runtime_env.working_dir archive entry 'pipe' is a FIFO, which a working directory cannot hold",
    );
  });

  it('replaces what an earlier attempt extracted', async () => {
    const archive = join(base, 'project.zip');
    makeArchive(archive, 'zip', [
      { name: 'old.txt', content: 'old' },
      { name: 'x', content: '' },
    ]);
    await resolve(archive);
    makeArchive(archive, 'zip', [
      { name: 'new.txt', content: 'new' },
      { name: 'x', content: '' },
    ]);
    const cwd = await resolve(archive);
    expect(existsSync(join(cwd, 'old.txt'))).toBe(false);
    expect(readFileSync(join(cwd, 'new.txt'), 'utf8')).toBe('new');
  });
});
