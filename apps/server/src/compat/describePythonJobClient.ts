import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../testing/serverProcess.js';
import { makeDataDir } from '../testing/testServer.js';

const script = fileURLToPath(new URL('./python_job_client.py', import.meta.url));

/** How the server under test runs its jobs: extra flags and environment. */
export interface PythonClientServer {
  args: () => string[];
  env?: () => Record<string, string>;
}

/**
 * Runs `python_job_client.py` (Python's standard library, the way existing job clients call
 * the API) against the server program started with `server`'s flags.
 */
export function describePythonJobClient(name: string, server: PythonClientServer): void {
  let running: ServerProcess;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = makeDataDir();
    running = await startServerProcess(
      ['--data-dir', dataDir, '--stop-grace-seconds', '1', ...server.args()],
      server.env?.(),
    );
  });
  afterAll(async () => {
    running.child.kill('SIGTERM');
    await running.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe(`a Python standard-library job client (${name})`, () => {
    it('submits, lists, gets, reads logs, stops and deletes against the real server', async () => {
      const child = spawn('python3', [script, running.baseUrl], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(output).toContain('all checks passed');
      expect(code, output).toBe(0);
      expect(output).toContain('ok: DELETE of a running job answers bare false');
    }, 180_000);
  });
}
