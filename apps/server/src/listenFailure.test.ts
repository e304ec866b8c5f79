import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runServerToExit } from './testing/serverProcess.js';
import { makeDataDir } from './testing/testServer.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a port that cannot be used', () => {
  it('stops the server at start with one line naming the port (exit code 2)', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const { port } = holder.address() as AddressInfo;
    try {
      const dataDir = makeDataDir();
      dirs.push(dataDir);
      const { code, output } = await runServerToExit(['--data-dir', dataDir, '--port', `${port}`]);
      expect(code).toBe(2);
      // Log lines are JSON; what is said to the operator is the one plain line.
      const plain = output.split('\n').filter((line) => line !== '' && !line.startsWith('{'));
      expect(plain).toEqual([
        `jobs-server: cannot listen on 127.0.0.1:${port}: port ${port} is already in use (--port)`,
      ]);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  });
});
