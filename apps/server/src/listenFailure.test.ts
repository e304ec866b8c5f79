import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { plainLines, runServerToExit } from './testing/serverProcess.js';
import { takePort } from './testing/takenPort.js';
import { makeDataDir } from './testing/testServer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a port that cannot be used', () => {
  it('stops the server at start with one line naming the port (exit code 2)', async () => {
    const { port, release } = await takePort();
    try {
      const dataDir = makeDataDir();
      dirs.push(dataDir);
      const { code, output } = await runServerToExit(['--data-dir', dataDir, '--port', `${port}`]);
      expect(code).toBe(2);
      expect(plainLines(output)).toEqual([
        `jobs-server: cannot listen on 127.0.0.1:${port}: port ${port} is already in use (--port)`,
      ]);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      release();
    }
  });
});
