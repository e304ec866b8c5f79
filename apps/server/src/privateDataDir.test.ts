import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServerToExit } from './testing/serverProcess.js';
import { type TestServer, makeDataDir, startTestServer } from './testing/testServer.js';

/** Every entry under `dir` (itself included) with its permission bits. */
function modesUnder(dir: string): Map<string, number> {
  const modes = new Map<string, number>([[dir, lstatSync(dir).mode & 0o777]]);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    modes.set(path, lstatSync(path).mode & 0o777);
  }
  return modes;
}

function looseOnes(modes: Map<string, number>): string[] {
  return [...modes]
    .filter(([, mode]) => (mode & 0o077) !== 0)
    .map(([path, mode]) => `${path} ${mode.toString(8)}`);
}

describe('the data dir under a umask of 000', () => {
  let server: TestServer;
  let umask: number;

  beforeAll(async () => {
    umask = process.umask(0);
    const dataDir = makeDataDir();
    // Left loose by an earlier server or an operator: fixed at start.
    chmodSync(dataDir, 0o777);
    mkdirSync(join(dataDir, 'logs'), { mode: 0o777 });
    writeFileSync(join(dataDir, 'audit.log'), '', { mode: 0o666 });
    writeFileSync(join(dataDir, 'jobs.sqlite-wal'), '', { mode: 0o644 });
    server = await startTestServer({ dataDir });
  });
  afterAll(async () => {
    await server.dispose();
    process.umask(umask);
  });

  it('keeps the data dir and everything in it private to the server user', async () => {
    const id = await server.submit({
      entrypoint: 'echo secret',
      runtime_env: { env_vars: { TOKEN: 'value' } },
    });
    await server.waitForStatus(id, 'SUCCEEDED');
    await server.http.get('/readyz').expect(200);
    const modes = modesUnder(server.dataDir);
    for (const name of ['jobs.sqlite', 'jobs.sqlite-wal', 'jobs.sqlite-shm', 'audit.log']) {
      expect(modes.get(join(server.dataDir, name))).toBe(0o600);
    }
    expect(modes.get(server.dataDir)).toBe(0o700);
    expect(modes.get(join(server.dataDir, 'logs'))).toBe(0o700);
    expect(modes.get(join(server.dataDir, 'run'))).toBe(0o700);
    expect(modes.get(join(server.dataDir, 'logs', `${id}.log`))).toBe(0o600);
    expect(looseOnes(modes)).toEqual([]);
  });
});

describe('a tokens file others may read', () => {
  it('stops the server at start, saying how to fix it (exit code 2)', async () => {
    const dir = makeDataDir();
    try {
      const file = join(dir, 'tokens');
      writeFileSync(file, 'ci:submit:tok-0123456789abcdef\n', { mode: 0o644 });
      chmodSync(file, 0o644);
      const { code, output } = await runServerToExit([
        '--data-dir',
        join(dir, 'data'),
        '--tokens-file',
        file,
      ]);
      expect(code).toBe(2);
      expect(output.trim().split('\n')).toEqual([expect.stringContaining(`chmod 600 ${file}`)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
