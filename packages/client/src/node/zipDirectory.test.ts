import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { zipDirectory } from './zipDirectory.js';

let dir: string;
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('zipDirectory', () => {
  it('honours .gitignore files and excludes, and leaves .git out', async () => {
    dir = mkdtempSync(join(tmpdir(), 'zip-directory-'));
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, '.git'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, '.gitignore'), '*.log\n');
    writeFileSync(join(dir, 'src', '.gitignore'), 'generated.py\n');
    writeFileSync(join(dir, 'src', 'main.py'), 'print(1)\n');
    writeFileSync(join(dir, 'src', 'generated.py'), 'x\n');
    writeFileSync(join(dir, 'run.log'), 'noise\n');
    writeFileSync(join(dir, '.git', 'HEAD'), 'ref\n');
    writeFileSync(join(dir, 'data', 'big.bin'), 'big\n');
    const names = Object.keys(unzipSync(await zipDirectory(dir, ['data/']))).sort();
    expect(names).toEqual(['.gitignore', 'src/.gitignore', 'src/main.py']);
  });

  it('gives the same bytes for the same content, whatever the file times', async () => {
    dir = mkdtempSync(join(tmpdir(), 'zip-directory-'));
    writeFileSync(join(dir, 'a.txt'), 'a\n');
    const first = await zipDirectory(dir);
    utimesSync(join(dir, 'a.txt'), new Date(0), new Date(0));
    expect(Buffer.from(await zipDirectory(dir)).equals(Buffer.from(first))).toBe(true);
    writeFileSync(join(dir, 'a.txt'), 'b\n');
    expect(Buffer.from(await zipDirectory(dir)).equals(Buffer.from(first))).toBe(false);
  });
});
